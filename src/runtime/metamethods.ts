// Finding a metamethod: on an instance, in its class; on a table, in its delegate.
import { SqInstance, SqTable } from "./values.ts";

export function metamethod(o: unknown, name: string): unknown {
  if (o instanceof SqInstance) return o.c.meta[name];
  if (o instanceof SqTable) {
    const d = o.d;
    if (d === null) return undefined;
    return d[`$${name}`];
  }
  return undefined;
}
