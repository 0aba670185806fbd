/**
 * Writes raw deflate (RFC 1951) streams by hand: a prefix kept as a stored block, then a run of zeros coded at
 * deflate's largest ratio (2 bits per 258 bytes, about 1032:1) without ever allocating the run. A gigabyte of
 * zeros costs a megabyte of output and a few milliseconds, so hostile-input tests and benchmarks get real
 * bombs instead of compressing huge buffers first.
 */

class BitWriter {
  private bytes: Uint8Array;
  private bit = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  /** `n` bits of `value`, least significant first (header fields and extra bits). */
  bits(value: number, n: number): void {
    for (let i = 0; i < n; i++) {
      if ((value >> i) & 1) this.bytes[this.bit >> 3]! |= 1 << (this.bit & 7);
      this.bit++;
    }
  }
  /** A Huffman code of `length` bits, most significant first. */
  code(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits((code >> i) & 1, 1);
  }
  /** `n` zero bits: the buffer starts zeroed. */
  zeros(n: number): void {
    this.bit += n;
  }
  alignToByte(): void {
    this.bit = (this.bit + 7) & ~7;
  }
  byteArray(data: Uint8Array): void {
    this.bytes.set(data, this.bit >> 3);
    this.bit += data.length * 8;
  }
  out(): Uint8Array {
    return this.bytes.slice(0, (this.bit + 7) >> 3);
  }
}

/** Code-length code lengths in the order RFC 1951 stores them. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * Raw deflate data that inflates to `prefix` followed by `zeros` zero bytes (`zeros` ≥ 1).
 *
 * The zeros are one dynamic-Huffman block whose literal/length code has three symbols (literal 0 → `10`,
 * end of block → `11`, length 258 → `0`) and whose distance code has one (distance 1 → `0`).
 */
export function deflateZeroRun(prefix: Uint8Array, zeros: number): Uint8Array {
  if (zeros < 1) throw new RangeError('at least one zero byte');
  const copies = Math.floor((zeros - 1) / 258);
  const literals = zeros - 1 - copies * 258;
  const w = new BitWriter(
    prefix.length + Math.ceil(prefix.length / 65535) * 5 + 64 + Math.ceil((copies * 2 + literals * 2) / 8),
  );
  for (let start = 0; start < prefix.length; start += 65535) {
    const part = prefix.subarray(start, start + 65535);
    w.bits(0, 1); // not final
    w.bits(0, 2); // stored
    w.alignToByte();
    w.bits(part.length, 16);
    w.bits(~part.length & 0xffff, 16);
    w.byteArray(part);
  }
  w.bits(1, 1); // final
  w.bits(2, 2); // dynamic Huffman
  w.bits(286 - 257, 5); // HLIT: literal/length codes 0..285
  w.bits(0, 5); // HDIST: one distance code
  w.bits(18 - 4, 4); // HCLEN: code-length codes up to symbol 1 in CL_ORDER
  const clLengths: Record<number, number> = { 18: 1, 1: 2, 2: 2 };
  for (const symbol of CL_ORDER.slice(0, 18)) w.bits(clLengths[symbol] ?? 0, 3);
  // Code-length codes: 18 → 0, 1 → 10, 2 → 11.
  const len2 = () => w.code(0b11, 2);
  const len1 = () => w.code(0b10, 2);
  const zeroRun = (n: number) => {
    w.code(0b0, 1);
    w.bits(n - 11, 7);
  };
  len2(); // literal 0
  zeroRun(138);
  zeroRun(117); // literals 1..255
  len2(); // end of block
  zeroRun(28); // lengths 257..284
  len1(); // length 258
  len1(); // distance 1
  w.code(0b10, 2); // one literal zero
  w.zeros(copies * 2); // each copy: length 258 (`0`), distance 1 (`0`)
  for (let i = 0; i < literals; i++) w.code(0b10, 2);
  w.code(0b11, 2); // end of block
  return w.out();
}
