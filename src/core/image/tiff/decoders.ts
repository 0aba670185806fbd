import { BaseDecoder, getDecoder, type TypedArray } from 'geotiff';
import { ErrorCode, VoxmarkError } from '../../errors.js';

/** Parameters geotiff hands a decoder for one strip or tile. */
export interface DecoderParameters {
  tileWidth: number;
  tileHeight: number;
  planarConfiguration: number;
  bitsPerSample: number | number[] | TypedArray;
  predictor: number;
  [key: string]: unknown;
}

/** What geotiff's readRasters accepts as `pool`: something that binds parameters to a block decoder. */
export interface DecoderProvider {
  bindParameters(compression: number, parameters: DecoderParameters): BlockDecoder;
}

interface BlockDecoder {
  decode(buffer: ArrayBufferLike): Promise<ArrayBufferLike>;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes one decoded strip or tile can hold, at most. Strips never hold more rows than the image has. */
export function blockBytes(p: DecoderParameters, samplesPerPixel: number, imageHeight = Infinity): number {
  const bits = typeof p.bitsPerSample === 'number' ? [p.bitsPerSample] : Array.from(p.bitsPerSample);
  const bitsPerPixel =
    p.planarConfiguration === 2
      ? (bits[0] ?? 8)
      : bits.length >= samplesPerPixel
        ? bits.reduce((a, b) => a + b, 0)
        : (bits[0] ?? 8) * samplesPerPixel;
  return Math.ceil((p.tileWidth * bitsPerPixel) / 8) * Math.min(p.tileHeight, imageHeight);
}

/**
 * TIFF LZW (MSB-first codes of 9–12 bits, "early change") into a buffer of exactly `limit` bytes. Stops when
 * the output is full, so a hostile stream cannot make it allocate more; a short stream leaves zeros, as libtiff
 * does.
 */
export function decodeLzw(input: Uint8Array, limit: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(limit);
  if (input.length >= 2 && input[0] === 0 && input[1] === 1) {
    throw new VoxmarkError(ErrorCode.Unsupported, 'Old-style (pre-TIFF 6.0) LZW is not supported');
  }
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }
  const totalBits = input.length * 8;
  let bitPos = 0;
  let codeLen = 9;
  let next = 258;
  let prev = -1;
  let pos = 0;
  while (pos < limit && bitPos + codeLen <= totalBits) {
    // Read codeLen bits, MSB first (codeLen ≤ 12 spans at most 3 bytes).
    const byte = bitPos >>> 3;
    const chunk = ((input[byte]! << 16) | ((input[byte + 1] ?? 0) << 8) | (input[byte + 2] ?? 0)) >>> 0;
    const code = (chunk >>> (24 - (bitPos & 7) - codeLen)) & ((1 << codeLen) - 1);
    bitPos += codeLen;
    if (code === 257) break;
    if (code === 256) {
      codeLen = 9;
      next = 258;
      prev = -1;
      continue;
    }
    let len: number;
    let firstChar: number;
    if (prev === -1) {
      if (code > 255) throw new VoxmarkError(ErrorCode.Corrupt, 'LZW data starts with an undefined code');
      out[pos++] = code;
      prev = code;
      continue;
    }
    if (code < next) {
      len = length[code]!;
      firstChar = first[code]!;
      writeString(out, pos, code, len, prefix, suffix);
    } else if (code === next) {
      const plen = length[prev]!;
      firstChar = first[prev]!;
      writeString(out, pos, prev, plen, prefix, suffix);
      if (pos + plen < limit) out[pos + plen] = firstChar;
      len = plen + 1;
    } else {
      throw new VoxmarkError(ErrorCode.Corrupt, `LZW code ${code} is not defined yet`);
    }
    pos += len;
    if (next < 4096) {
      prefix[next] = prev;
      suffix[next] = firstChar;
      first[next] = first[prev]!;
      length[next] = length[prev]! + 1;
      next++;
      if (next >= (1 << codeLen) - 1 && codeLen < 12) codeLen++;
    }
    prev = code;
  }
  return out;
}

function writeString(
  out: Uint8Array,
  pos: number,
  code: number,
  len: number,
  prefix: Uint16Array,
  suffix: Uint8Array,
): void {
  let c = code;
  for (let i = len - 1; i >= 0; i--) {
    const at = pos + i;
    if (at < out.length) out[at] = suffix[c]!;
    c = prefix[c]!;
  }
}

/**
 * zlib (RFC 1950) inflate with the browser's DecompressionStream into exactly `limit` bytes. Reading stops as
 * soon as the output is full, so a deflate bomb costs no more than one block's worth of memory.
 */
export async function inflateBounded(input: Uint8Array, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(limit);
  let pos = 0;
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  try {
    while (pos < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const n = Math.min(value.byteLength, limit - pos);
      out.set(n === value.byteLength ? value : value.subarray(0, n), pos);
      pos += n;
    }
  } catch (e) {
    // Junk after the end of the stream, or a stream cut short: keep what decoded, as libtiff does, unless
    // nothing did.
    if (pos === 0) throw new VoxmarkError(ErrorCode.Corrupt, 'Deflate data is corrupt', { cause: e });
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return out;
}

/**
 * Undoes TIFF predictors 2 (horizontal differencing) and 3 (floating-point byte planes) in the file's byte
 * order. geotiff's own predictor assumes little-endian samples, which breaks big-endian files.
 */
export function undoPredictor(block: Uint8Array, p: DecoderParameters, littleEndian: boolean): void {
  if (p.predictor !== 2 && p.predictor !== 3) return;
  const bitsList = typeof p.bitsPerSample === 'number' ? [p.bitsPerSample] : Array.from(p.bitsPerSample);
  const bits = bitsList[0] ?? 8;
  if (bits % 8 !== 0 || bitsList.some((b) => b !== bits)) {
    throw new VoxmarkError(ErrorCode.Unsupported, `Predictor ${p.predictor} with ${bits}-bit samples`);
  }
  const bytes = bits / 8;
  const stride = p.planarConfiguration === 2 ? 1 : bitsList.length;
  const rowBytes = p.tileWidth * stride * bytes;
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const copy = p.predictor === 3 ? new Uint8Array(rowBytes) : undefined;
  for (let y = 0; y < p.tileHeight; y++) {
    const start = y * rowBytes;
    if (start + rowBytes > block.byteLength) break;
    if (p.predictor === 2) {
      if (bytes === 1) {
        for (let i = start + stride; i < start + rowBytes; i++)
          block[i] = (block[i]! + block[i - stride]!) & 0xff;
      } else if (bytes === 2 && littleEndian === HOST_LITTLE_ENDIAN && (block.byteOffset + start) % 2 === 0) {
        const row = new Uint16Array(block.buffer, block.byteOffset + start, rowBytes / 2);
        for (let i = stride; i < row.length; i++) row[i] = (row[i]! + row[i - stride]!) & 0xffff;
      } else if (bytes === 4 && littleEndian === HOST_LITTLE_ENDIAN && (block.byteOffset + start) % 4 === 0) {
        const row = new Uint32Array(block.buffer, block.byteOffset + start, rowBytes / 4);
        for (let i = stride; i < row.length; i++) row[i] = (row[i]! + row[i - stride]!) >>> 0;
      } else if (bytes === 2) {
        const step = stride * 2;
        for (let i = start + step; i < start + rowBytes; i += 2)
          view.setUint16(
            i,
            view.getUint16(i, littleEndian) + view.getUint16(i - step, littleEndian),
            littleEndian,
          );
      } else if (bytes === 4) {
        const step = stride * 4;
        for (let i = start + step; i < start + rowBytes; i += 4)
          view.setUint32(
            i,
            (view.getUint32(i, littleEndian) + view.getUint32(i - step, littleEndian)) >>> 0,
            littleEndian,
          );
      } else {
        throw new VoxmarkError(ErrorCode.Unsupported, `Predictor 2 with ${bits}-bit samples`);
      }
    } else {
      for (let i = start + stride; i < start + rowBytes; i++)
        block[i] = (block[i]! + block[i - stride]!) & 0xff;
      copy!.set(block.subarray(start, start + rowBytes));
      const wc = rowBytes / bytes;
      // Byte plane 0 holds the most significant bytes.
      for (let i = 0; i < wc; i++) {
        for (let b = 0; b < bytes; b++) {
          block[start + i * bytes + (littleEndian ? bytes - 1 - b : b)] = copy![b * wc + i]!;
        }
      }
    }
  }
}

class BoundedDecoder extends BaseDecoder {
  constructor(
    parameters: DecoderParameters,
    private readonly limit: number,
    private readonly littleEndian: boolean,
    private readonly inflate: boolean,
  ) {
    super(parameters);
  }
  override async decodeBlock(buffer: ArrayBufferLike): Promise<ArrayBuffer> {
    const input = new Uint8Array(buffer);
    return (this.inflate ? await inflateBounded(input, this.limit) : decodeLzw(input, this.limit)).buffer;
  }
  override async decode(buffer: ArrayBufferLike): Promise<ArrayBuffer> {
    const out = await this.decodeBlock(buffer);
    undoPredictor(new Uint8Array(out), this.parameters as DecoderParameters, this.littleEndian);
    return out;
  }
}

/**
 * Decoders for geotiff's readRasters: LZW and deflate are voxmark's own bounded decoders (output capped at the
 * block size, deflate through the browser's native DecompressionStream); every other compression uses
 * geotiff's decoder.
 */
export function decoderProvider(
  samplesPerPixel: number,
  littleEndian: boolean,
  layout: { height: number; tiled: boolean },
): DecoderProvider {
  return {
    bindParameters(compression, parameters) {
      // geotiff passes RowsPerStrip as the strip height even when it exceeds the image: clamp it.
      const limit = blockBytes(parameters, samplesPerPixel, layout.tiled ? Infinity : layout.height);
      let decoder: Promise<BlockDecoder> | undefined;
      const make = (): Promise<BlockDecoder> => {
        if (compression === 5)
          return Promise.resolve(new BoundedDecoder(parameters, limit, littleEndian, false));
        if (compression === 8 || compression === 32946)
          return Promise.resolve(new BoundedDecoder(parameters, limit, littleEndian, true));
        return getDecoder(compression, parameters);
      };
      return {
        async decode(buffer) {
          decoder ??= make();
          const d = await decoder;
          return d.decode(buffer);
        },
      };
    },
  };
}
