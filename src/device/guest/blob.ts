// The imp's `blob` class (imp-api.md /squirrel/blob; developer.electricimp.com /squirrel/blob/*), device
// and agent. It is a Squirrel class built with the runtime's class machinery, like `regexp`
// (src/runtime/stdlib/regexp.ts), so `instanceof blob`, `typeof` through `_typeof`, `clone`
// through `_cloned`, `b[i]` through `_get`/`_set` and `foreach` through `_nexti` behave as for
// any Squirrel class. Each instance carries a BlobBuffer (blob-buffer.ts) with the bytes.
//
// Behaviour and error texts follow the reference stream blob the imp's is built on
// (sqstdlib/sqstdblob.cpp, sqstdstream.cpp) except where Electric Imp documents its own:
// readstring(), writestring(), tostring(), writen() of a non-number (zeros, impOS 36), and
// swap2() of an integer (upper bytes zeroed). Choices made where neither source says are
// marked "chosen:".

import { tableSet } from "../../runtime/access.ts";
import { createInstance, newMember } from "../../runtime/classes.ts";
import { sqError } from "../../runtime/errors.ts";
import { compileTypemask, maskNames, native } from "../../runtime/native.ts";
import { toInteger, toFloatValue } from "../../runtime/stdlib/clib.ts";
import { float, SqClass, SqFloat, SqInstance, SqThrow, typeOf } from "../../runtime/values.ts";
import type { SqTable } from "../../runtime/values.ts";
import { markMetaClass } from "./api-object.ts";
import { blobGlobalFunctions } from "./blob-globals.ts";
import {
  BlobBuffer,
  bytesToByteString,
  byteStringToBytes,
  NUMBER_WIDTHS,
  SEEK_BEGIN,
  SEEK_CURRENT,
  SEEK_END,
} from "./blob-buffer.ts";

/** An instance of `blob` (or of a class derived from it) with its bytes attached. */
interface BlobInstance extends SqInstance {
  blob: BlobBuffer;
}

/**
 * Attaches the bytes as a non-enumerable property: cloneInstance copies enumerable own
 * properties only, so a clone never shares its original's bytes (`_cloned` gives it a copy).
 */
function attach(o: SqInstance, buffer: BlobBuffer): void {
  Object.defineProperty(o, "blob", {
    value: buffer,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/** The bytes of a blob, or undefined for any other value. */
export function blobBuffer(v: unknown): BlobBuffer | undefined {
  // Only blobs carry a BlobBuffer under this (non-"$") name; Squirrel slots are all "$"-keyed.
  if (typeof v !== "object" || v === null) return undefined;
  const b = (v as Partial<BlobInstance>).blob;
  return b instanceof BlobBuffer ? b : undefined;
}

export function isBlob(v: unknown): v is SqInstance {
  return blobBuffer(v) !== undefined;
}

// Argument checks. The methods are registered without a typemask and check their arguments
// here instead: the runtime's generic check costs microseconds per call in QuickJS (it
// classifies `this` by walking instanceof), which blob loops feel. The texts are the ones
// the runtime's check gives for the masks noted on each method (native.ts, checkNativeArgs).
const INSTANCE = compileTypemask("x")[0]!;
const NUMBER = compileTypemask("n")[0]!;
const STRING = compileTypemask("s")[0]!;

function argTypeError(param: number, v: unknown, mask: number): never {
  sqError(`parameter ${param} has an invalid type '${typeOf(v)}' ; expected: '${maskNames(mask)}'`);
}

function isNumber(v: unknown): v is number | SqFloat {
  return typeof v === "number" || v instanceof SqFloat;
}

/** Argument i (parameter i + 1) as an integer; typemask "n". */
function intArg(args: unknown[], i: number): number {
  const v = args[i];
  if (typeof v === "number") return v;
  if (v instanceof SqFloat) return toInteger(v);
  argTypeError(i + 1, v, NUMBER);
}

function stringArg(args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v !== "string") argTypeError(i + 1, v, STRING);
  return v;
}

function derivesFromBlob(o: SqInstance): boolean {
  for (let c: SqClass | null = o.c; c !== null; c = c.base) if (c === blobClassValue) return true;
  return false;
}

/** `this` of a blob method: its bytes, or the error the reference gives for anything else. */
function self(o: unknown): BlobBuffer {
  const b = blobBuffer(o);
  if (b !== undefined) return b;
  if (!(o instanceof SqInstance)) argTypeError(0, o, INSTANCE);
  // A derived class whose constructor never ran the blob constructor (sqstdblob.cpp, SETUP_BLOB).
  if (derivesFromBlob(o)) sqError("the blob is invalid");
  sqError("invalid type tag");
}

/** A readn()/writen() type argument, checked (sqstdstream.cpp: "invalid format"). */
function numberFormat(args: unknown[], i: number): number {
  const format = intArg(args, i);
  if (NUMBER_WIDTHS[format] === undefined) sqError("invalid format");
  return format;
}

/** readblob()/readstring(): n bytes from the pointer, at least one, else the reference's error. */
function readSome(b: BlobBuffer, n: number): Uint8Array {
  const bytes = b.read(n);
  // The reference throws when nothing was read: readblob(0), or the pointer at the end.
  // chosen: readstring() (the imp's own) does the same as readblob().
  if (bytes.length === 0) sqError("no data left to read");
  return bytes;
}

function createBlobClass(): SqClass {
  const cls = new SqClass(null);
  markMetaClass(cls);
  /** `mask` is the reference's typemask, which the method checks itself (see above). */
  const member = (
    name: string,
    nparams: number,
    _mask: string,
    fn: (self: unknown, args: unknown[]) => unknown,
  ): void => {
    newMember(cls, name, native(name, nparams, null, fn), null, false);
  };

  member("constructor", -1, "xn", (o, args) => {
    if (!(o instanceof SqInstance)) argTypeError(0, o, INSTANCE);
    const size = args.length > 0 ? intArg(args, 0) : 0;
    if (size < 0) sqError("cannot create blob with negative size");
    // The imp documents a 512 KB maximum for device blobs; it is not enforced here (the
    // agent has no such limit and the device's error text is not documented).
    attach(o, new BlobBuffer(size));
    return null;
  });

  // ------------------------------------------------------------ the stream part
  member("len", 1, "x", (o) => self(o).size);
  member("tell", 1, "x", (o) => self(o).pos);
  // 1 at the end, else null (not a bool), as documented.
  member("eos", 1, "x", (o) => (self(o).eos() ? 1 : null));
  // A blob has nothing to flush; the reference stream answers 1 for a successful flush.
  // chosen: the imp's documentation does not say; the reference's result is kept.
  member("flush", 1, "x", (o) => {
    self(o);
    return 1;
  });
  member("seek", -2, "xnn", (o, args) => {
    const b = self(o);
    const offset = intArg(args, 0);
    let origin = SEEK_BEGIN;
    if (args.length > 1) {
      origin = intArg(args, 1);
      if (origin !== SEEK_BEGIN && origin !== SEEK_CURRENT && origin !== SEEK_END)
        sqError("invalid origin");
    }
    // 0 when moved, -1 (pointer left where it was) for a target outside the blob.
    return b.seek(offset, origin) ? 0 : -1;
  });
  member("resize", 2, "xn", (o, args) => {
    const b = self(o);
    const n = intArg(args, 0);
    // chosen: the reference allocates whatever it is given; a negative size is refused
    // with its only resize error.
    if (n < 0) sqError("resize failed");
    b.resize(n);
    return null;
  });

  member("readn", 2, "xn", (o, args) => {
    const b = self(o);
    const format = numberFormat(args, 0);
    const v = b.readNumber(format);
    if (v === undefined) sqError("io error");
    // 'f' and 'd' become Squirrel floats (32-bit: a double loses precision, as documented).
    return format === 102 || format === 100 ? float(v) : v;
  });
  // Any value is accepted: a non-number writes zeros of the type's width (impOS 36+).
  member("writen", 3, "x.n", (o, args) => {
    const b = self(o);
    const format = numberFormat(args, 1);
    const v = args[0];
    if (!isNumber(v)) b.writeZeros(format);
    else if (format === 102 || format === 100) b.writeNumber(format, toFloatValue(v));
    else b.writeNumber(format, toInteger(v));
    return null;
  });

  member("readblob", 2, "xn", (o, args) =>
    newBlobFrom(BlobBuffer.of(readSome(self(o), intArg(args, 0)))),
  );
  member("readstring", 2, "xn", (o, args) => bytesToByteString(readSome(self(o), intArg(args, 0))));
  member("writeblob", 2, "xx", (o, args) => {
    const b = self(o);
    const other = args[0];
    if (!(other instanceof SqInstance)) argTypeError(1, other, INSTANCE);
    const src = blobBuffer(other);
    if (src === undefined) sqError("invalid parameter");
    // A copy first: writing a blob into itself may reallocate the bytes being read.
    b.write(src.view().slice());
    return null;
  });
  member("writestring", 2, "xs", (o, args) => {
    const b = self(o);
    b.write(byteStringToBytes(stringArg(args, 0)));
    return null;
  });

  member("swap2", 1, "x", (o) => {
    self(o).swap2();
    return null;
  });
  member("swap4", 1, "x", (o) => {
    self(o).swap4();
    return null;
  });
  // The whole blob as a string of bytes, wherever the pointer is (an imp addition).
  // chosen: no `_tostring` metamethod, so "" + b and print(b) show "(instance : 0x…)" as
  // for any instance; the imp's behaviour there is not documented.
  member("tostring", 1, "x", (o) => self(o).toByteString());

  // ------------------------------------------------------------ metamethods
  member("_typeof", 1, "x", () => "blob");
  member("_get", 2, "x.", (o, args) => {
    const b = self(o);
    const k = args[0];
    // Not a number: "no such slot", so members and the instance delegate resolve as usual.
    if (!isNumber(k)) throw new SqThrow(null);
    const i = toInteger(k);
    if (i < 0 || i >= b.size) sqError("index out of range");
    return b.at(i);
  });
  member("_set", 3, "xnn", (o, args) => {
    const b = self(o);
    const i = intArg(args, 0);
    const v = intArg(args, 1);
    if (i < 0 || i >= b.size) sqError("index out of range");
    b.setAt(i, v & 0xff);
    return args[1];
  });
  member("_nexti", 2, "x", (o, args) => {
    const b = self(o);
    const prev = args[0];
    // chosen: the reference starts at 0 even for an empty blob, so its foreach fails with
    // "index out of range"; here an empty blob simply has nothing to iterate.
    if (prev === null) return b.size > 0 ? 0 : null;
    if (!isNumber(prev)) sqError("internal error (_nexti) wrong argument type");
    const next = toInteger(prev) + 1;
    return next < b.size ? next : null;
  });
  // `clone b`: the copy gets its own bytes, its pointer back at 0 (sqstdblob.cpp, _blob__cloned).
  member("_cloned", 2, "xx", (o, args) => {
    if (!(o instanceof SqInstance)) argTypeError(0, o, INSTANCE);
    const src = blobBuffer(args[0]);
    if (src === undefined) sqError("invalid type tag");
    attach(o, src.clone());
    return null;
  });
  return cls;
}

let blobClassValue: SqClass | null = null;

/** The `blob` class of this VM (one per runtime bundle, made on first use). */
export function blobClass(): SqClass {
  return (blobClassValue ??= createBlobClass());
}

function newBlobFrom(buffer: BlobBuffer): SqInstance {
  const o = createInstance(blobClass());
  attach(o, buffer);
  return o;
}

/**
 * A new blob for other parts of the imp API (spi.readblob, http bodies, ...): a copy of
 * `bytes` (a Uint8Array or a byte string), pointer at 0.
 */
export function newBlob(bytes: Uint8Array | string = new Uint8Array(0)): SqInstance {
  return newBlobFrom(BlobBuffer.of(typeof bytes === "string" ? byteStringToBytes(bytes) : bytes));
}

/** A blob's bytes as a byte string (how byte data crosses to the host), or undefined. */
export function blobToByteString(v: unknown): string | undefined {
  return blobBuffer(v)?.toByteString();
}

/** Puts `blob` and the blob library's global functions (swap2, swap4, ...) into the root table. */
export function installBlob(root: SqTable): void {
  tableSet(root, "blob", blobClass());
  for (const f of blobGlobalFunctions()) tableSet(root, f.nat.name, f);
}
