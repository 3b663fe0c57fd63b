// The bytes behind a Squirrel `blob` (imp-api.md /squirrel/blob): a length, a read/write pointer and a
// Uint8Array whose spare capacity lets writes grow the blob without reallocating each time.
// It follows the reference stream blob (sqstdlib/sqstdblobimpl.h, SQBlob) step for step —
// pointer moves, partial reads, seek bounds, resize keeping the length — so the Squirrel
// layer in blob.ts only converts values and raises errors. Nothing here knows Squirrel.

/** Bytes of each readn()/writen() type, by its character code ('c' = 99, ...); little-endian. */
export const NUMBER_WIDTHS: Readonly<Record<number, number>> = {
  99: 1, // 'c' signed 8-bit
  98: 1, // 'b' unsigned 8-bit
  115: 2, // 's' signed 16-bit
  119: 2, // 'w' unsigned 16-bit
  105: 4, // 'i' signed 32-bit
  102: 4, // 'f' 32-bit float
  100: 8, // 'd' 64-bit float
};

/** seek() origins, by character code: the reference's SQ_SEEK_SET / SQ_SEEK_CUR / SQ_SEEK_END. */
export const SEEK_BEGIN = 98; // 'b'
export const SEEK_CURRENT = 99; // 'c'
export const SEEK_END = 101; // 'e'

// One scratch area for encoding and decoding numbers: the bytes are then copied in or out,
// so no DataView has to follow the buffer when it is reallocated.
const scratch = new ArrayBuffer(8);
const scratchView = new DataView(scratch);
const scratchBytes = new Uint8Array(scratch);

/** Byte strings are built in slices: String.fromCharCode takes its bytes as arguments. */
const CHARS_PER_SLICE = 8192;

export function bytesToByteString(bytes: Uint8Array): string {
  if (bytes.length <= CHARS_PER_SLICE)
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let s = "";
  for (let i = 0; i < bytes.length; i += CHARS_PER_SLICE) {
    s += String.fromCharCode.apply(
      null,
      bytes.subarray(i, i + CHARS_PER_SLICE) as unknown as number[],
    );
  }
  return s;
}

export function byteStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export class BlobBuffer {
  /** Storage; its length is the capacity (the imp's "allocation"), at least `size`. */
  private buf: Uint8Array;
  /** Number of bytes in the blob: what len() returns. */
  size: number;
  /** The read/write pointer, 0..size. */
  pos = 0;

  /** A zero-filled blob of `size` bytes, pointer at 0. */
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.size = size;
  }

  /** A blob holding a copy of `bytes`, pointer at 0. */
  static of(bytes: Uint8Array): BlobBuffer {
    const b = new BlobBuffer(bytes.length);
    b.buf.set(bytes);
    return b;
  }

  /** The blob's bytes, live: writes through the view change the blob, until it reallocates. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }

  /** Independent copy, pointer at 0 (what `clone` gives in the reference). */
  clone(): BlobBuffer {
    return BlobBuffer.of(this.view());
  }

  get capacity(): number {
    return this.buf.length;
  }

  eos(): boolean {
    return this.pos === this.size;
  }

  /** Byte i, for 0 <= i < size (the caller checks the range). */
  at(i: number): number {
    return this.buf[i]!;
  }

  setAt(i: number, value: number): void {
    this.buf[i] = value;
  }

  /** Makes room for `end` bytes: capacity at least doubles, as the reference's GrowBufOf does. */
  private reserve(end: number): void {
    if (end <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(end, this.size * 2, 16));
    grown.set(this.buf.subarray(0, this.size));
    this.buf = grown;
  }

  /** Writes at the pointer, growing the blob when the bytes run past its end. */
  write(bytes: Uint8Array): void {
    const end = this.pos + bytes.length;
    if (end > this.size) {
      this.reserve(end);
      this.size = end;
    }
    this.buf.set(bytes, this.pos);
    this.pos = end;
  }

  /** Up to n bytes from the pointer (fewer near the end, none at it), as a copy; moves the pointer. */
  read(n: number): Uint8Array {
    const count = Math.max(0, Math.min(n, this.size - this.pos));
    const out = this.buf.slice(this.pos, this.pos + count);
    this.pos += count;
    return out;
  }

  /**
   * Moves the pointer; false (pointer unchanged) when the target lies outside 0..size.
   * Any origin other than the three is the caller's to reject.
   */
  seek(offset: number, origin: number): boolean {
    const base = origin === SEEK_CURRENT ? this.pos : origin === SEEK_END ? this.size : 0;
    const target = base + offset;
    if (target < 0 || target > this.size) return false;
    this.pos = target;
    return true;
  }

  /**
   * The reference's resize sets the allocation, not the length: a larger n only makes room
   * (len() is unchanged), a smaller n cuts the blob and pulls the pointer back to its end.
   */
  resize(n: number): void {
    if (n < this.size) {
      // Zeroed so that bytes cut off never reappear when the blob grows again.
      this.buf.fill(0, n, this.size);
      this.size = n;
      if (this.pos > n) this.pos = n;
    }
    if (n !== this.buf.length && n >= this.size) {
      const next = new Uint8Array(n);
      next.set(this.buf.subarray(0, this.size));
      this.buf = next;
    }
  }

  /** Swaps each pair of bytes; a trailing odd byte stays where it is. */
  swap2(): void {
    const b = this.buf;
    const end = this.size - (this.size % 2);
    for (let i = 0; i < end; i += 2) {
      const t = b[i]!;
      b[i] = b[i + 1]!;
      b[i + 1] = t;
    }
  }

  /** Reverses each group of four bytes; up to three trailing bytes stay where they are. */
  swap4(): void {
    const b = this.buf;
    const end = this.size - (this.size % 4);
    for (let i = 0; i < end; i += 4) {
      let t = b[i]!;
      b[i] = b[i + 3]!;
      b[i + 3] = t;
      t = b[i + 1]!;
      b[i + 1] = b[i + 2]!;
      b[i + 2] = t;
    }
  }

  /**
   * writen(): `value` is an integer for the integer types and a number for 'f'/'d'; the
   * narrow types keep the low bits, as C's casts do. `format` must be in NUMBER_WIDTHS.
   */
  writeNumber(format: number, value: number): void {
    const width = NUMBER_WIDTHS[format]!;
    switch (format) {
      case 99:
      case 98:
        scratchView.setUint8(0, value & 0xff);
        break;
      case 115:
      case 119:
        scratchView.setUint16(0, value & 0xffff, true);
        break;
      case 105:
        scratchView.setInt32(0, value | 0, true);
        break;
      case 102:
        scratchView.setFloat32(0, value, true);
        break;
      case 100:
        scratchView.setFloat64(0, value, true);
        break;
    }
    this.write(scratchBytes.subarray(0, width));
  }

  /** writen() of a value that is not a number: zeros of the type's width (impOS 36 and later). */
  writeZeros(format: number): void {
    scratchBytes.fill(0);
    this.write(scratchBytes.subarray(0, NUMBER_WIDTHS[format]!));
  }

  /**
   * readn(): the value, or undefined when fewer bytes than the type's width remain — the
   * pointer then still moves past what was there, as the reference's partial read does.
   * 'f' and 'd' give the stored float or double as a JS number.
   */
  readNumber(format: number): number | undefined {
    const width = NUMBER_WIDTHS[format]!;
    const got = this.read(width);
    if (got.length !== width) return undefined;
    scratchBytes.set(got);
    switch (format) {
      case 99:
        return scratchView.getInt8(0);
      case 98:
        return scratchView.getUint8(0);
      case 115:
        return scratchView.getInt16(0, true);
      case 119:
        return scratchView.getUint16(0, true);
      case 105:
        return scratchView.getInt32(0, true);
      case 102:
        return scratchView.getFloat32(0, true);
      default:
        return scratchView.getFloat64(0, true);
    }
  }

  /** All the bytes as a byte string (one char code per byte), whatever the pointer. */
  toByteString(): string {
    return bytesToByteString(this.view());
  }
}
