// `foreach`: one iterator shape for every iterable type.
import { SqClass, SqGenerator, SqInstance, SqTable, typeOf } from "./values.ts";
import { sqError } from "./errors.ts";
import { tableGet, tableLayout, get } from "./access.ts";
import { layoutOf, type HashLayout } from "./hash-layout.ts";
import { call } from "./call.ts";
import { resume } from "./generators.ts";

/** Compiled code: `for (const it = iterate(o); it.next();) { k = it.k; v = it.v; ... }` */
export interface SqIterator {
  k: unknown;
  v: unknown;
  next(): boolean;
}

class ArrayIterator implements SqIterator {
  k: unknown = null;
  v: unknown = null;
  private i = 0;
  constructor(private a: unknown[]) {}
  next(): boolean {
    const i = this.i;
    if (i >= this.a.length) return false;
    this.k = i;
    this.v = this.a[i];
    this.i = i + 1;
    return true;
  }
}

class StringIterator implements SqIterator {
  k: unknown = null;
  v: unknown = null;
  private i = 0;
  constructor(private s: string) {}
  next(): boolean {
    const i = this.i;
    if (i >= this.s.length) return false;
    this.k = i;
    this.v = this.s.charCodeAt(i);
    this.i = i + 1;
    return true;
  }
}

/**
 * Walks the nodes of a table or class by index, as the reference does: a slot added or removed
 * during the loop changes the layout, and the loop goes on at the same node index in it.
 */
class NodesIterator implements SqIterator {
  k: unknown = null;
  v: unknown = null;
  private i = 0;
  constructor(
    private layout: () => HashLayout,
    private read: (k: unknown) => unknown,
  ) {}
  next(): boolean {
    const keys = this.layout().keys;
    while (this.i < keys.length) {
      const k = keys[this.i++];
      if (k === undefined) continue;
      // a string key is held by its slot name, "$" + key
      this.k = typeof k === "string" ? k.slice(1) : k;
      this.v = this.read(k);
      return true;
    }
    return false;
  }
}

class GeneratorIterator implements SqIterator {
  k: unknown = null;
  v: unknown = null;
  private i = 0;
  constructor(private g: SqGenerator) {}
  next(): boolean {
    if (this.g.status === "dead") return false;
    const v = resume(this.g);
    if ((this.g.status as string) === "dead") return false;
    this.k = this.i++;
    this.v = v;
    return true;
  }
}

/** An instance with `_nexti`: `_nexti(previous)` gives the next key (null ends), values by get. */
class NextiIterator implements SqIterator {
  k: unknown = null;
  v: unknown = null;
  constructor(
    private o: SqInstance,
    private nexti: unknown,
  ) {}
  next(): boolean {
    const k = call(this.nexti, this.o, [this.k]);
    if (k === null) return false;
    this.k = k;
    this.v = get(this.o, k);
    return true;
  }
}

export function iterate(o: unknown): SqIterator {
  if (Array.isArray(o)) return new ArrayIterator(o);
  if (o instanceof SqTable)
    return new NodesIterator(
      () => tableLayout(o),
      (k) => (typeof k === "string" ? o[k as `$${string}`] : tableGet(o, k)),
    );
  if (typeof o === "string") return new StringIterator(o);
  if (o instanceof SqInstance) {
    const nexti = o.c.meta._nexti;
    if (nexti === undefined) sqError("_nexti failed");
    return new NextiIterator(o, nexti);
  }
  if (o instanceof SqClass) {
    return new NodesIterator(
      () => layoutOf(o),
      (k) => (typeof k === "string" ? o.proto[k as `$${string}`] : o.m?.get(k)),
    );
  }
  if (o instanceof SqGenerator) return new GeneratorIterator(o);
  sqError(`cannot iterate ${typeOf(o)}`);
}
