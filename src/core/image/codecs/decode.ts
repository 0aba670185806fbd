import { ErrorCode, VoxmarkError, toVoxmarkError } from '../../errors.js';
import type { PixelArray } from '../types.js';
import type { CodecOutput } from './wasm.js';
import { readJpegFrameHeader } from './jpeg-markers.js';
import { finishDecodedFrame } from '../dicom/finish.js';
import type { CodecFrameInfo } from './frame-info.js';
import { type CodecFamily, codecFamilyOf, transferSyntax } from '../../dicom/transfer-syntax.js';

export type { CodecFrameInfo } from './frame-info.js';

/** The codec families voxmark dispatches compressed frames to. */
export type Family = CodecFamily;

/** The codec family of a transfer syntax, or undefined when voxmark has no decoder for it. */
export const familyOf = codecFamilyOf;

/**
 * Decodes one compressed frame into stored values (before any palette lookup): the codec for the transfer
 * syntax, then sign extension, interleaving and colour conversion. Runs the same in a page or a worker.
 */
export async function decodeCompressedFrame(info: CodecFrameInfo, bytes: Uint8Array): Promise<PixelArray> {
  const family = familyOf(info.transferSyntaxUID);
  if (!family) {
    throw new VoxmarkError(
      ErrorCode.UnsupportedTransferSyntax,
      `Transfer syntax ${info.transferSyntaxUID} is not supported`,
    );
  }
  let out: CodecOutput;
  try {
    out = await runCodec(family, info, bytes);
  } catch (e) {
    throw toVoxmarkError(
      e,
      ErrorCode.CodecFailed,
      `Could not decode a ${transferSyntax(info.transferSyntaxUID)?.name} frame`,
    );
  }
  return finishDecodedFrame(info, out, family === 'j2k' || family === 'htj2k');
}

/**
 * Reads the frame size from the codestream's own header (JPEG and JPEG-LS SOF, JPEG 2000 SIZ) and refuses
 * a mismatch with the DICOM header before a codec allocates anything from it.
 */
export function checkStreamSize(family: Family, info: CodecFrameInfo, bytes: Uint8Array): void {
  let size: [number, number, number] | undefined;
  if (family === 'jpeg' || family === 'jpegls') {
    const h = readJpegFrameHeader(bytes);
    size = [h.width, h.height, h.components];
    // Lower bounds on the entropy-coded data, so a few bytes cannot make a codec allocate a huge frame:
    // a DCT block costs at least 2 bits (DC code, end of block) and the full-resolution component has
    // ⌈w/8⌉·⌈h/8⌉ blocks; a lossless sample at least 1 bit; JPEG-LS run mode at most 2^15 samples a bit.
    const bits = bytes.length * 8;
    const pixels = h.width * h.height;
    const lossless = h.sof === 0xc3 || h.sof === 0xc7;
    const needed =
      h.sof === 0xf7
        ? (pixels * h.components) / 32768
        : lossless
          ? pixels * h.components
          : Math.ceil(h.width / 8) * Math.ceil(h.height / 8) * 2;
    if (needed > bits) {
      throw new VoxmarkError(
        ErrorCode.Corrupt,
        `A ${h.width}×${h.height} frame needs more data than the ${bytes.length} bytes present`,
      );
    }
  } else if ((family === 'j2k' || family === 'htj2k') && bytes.length >= 42) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getUint16(0) === 0xff4f && dv.getUint16(2) === 0xff51) {
      const width = dv.getUint32(8) - dv.getUint32(16);
      const height = dv.getUint32(12) - dv.getUint32(20);
      size = [width, height, dv.getUint16(40)];
    }
  }
  if (!size) return;
  const [width, height, components] = size;
  // JPEG may leave the height to a DNL marker (0 here); anything else must match the header.
  if (
    width !== info.columns ||
    (height !== info.rows && !(height === 0 && family === 'jpeg')) ||
    components !== info.samplesPerPixel
  ) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `The codestream is ${width}×${height}×${components}, the header says ${info.columns}×${info.rows}×${info.samplesPerPixel}`,
    );
  }
}

async function runCodec(family: Family, info: CodecFrameInfo, bytes: Uint8Array): Promise<CodecOutput> {
  checkStreamSize(family, info, bytes);
  switch (family) {
    case 'rle': {
      const { decodeRle } = await import('./rle.js');
      if (![8, 16, 32].includes(info.bitsAllocated)) {
        throw new VoxmarkError(ErrorCode.Unsupported, `RLE with ${info.bitsAllocated} bits allocated`);
      }
      // PackBits expands at most 64:1 (two bytes for a run of 128), so bigger claims are corrupt.
      const frameBytes = info.rows * info.columns * info.samplesPerPixel * (info.bitsAllocated / 8);
      if (frameBytes > bytes.length * 64) {
        throw new VoxmarkError(
          ErrorCode.Corrupt,
          `An RLE frame of ${bytes.length} bytes cannot hold ${frameBytes} bytes of pixels`,
        );
      }
      const raw = decodeRle(bytes, info);
      return {
        data: rawToSamples(raw, info.bitsAllocated),
        width: info.columns,
        height: info.rows,
        samplesPerPixel: info.samplesPerPixel,
        bitsPerSample: info.bitsAllocated,
        signed: false,
      };
    }
    case 'jpeg': {
      const header = readJpegFrameHeader(bytes);
      // Pick the decoder from the stream's own frame header: transfer syntaxes are sometimes mislabelled.
      if (header.sof === 0xc3 || header.sof === 0xc7) {
        const { decodeJpegLossless } = await import('./jpeg-lossless.js');
        return decodeJpegLossless(bytes);
      }
      if (header.sof === 0xf7) {
        const { decodeJpegLs } = await import('./emscripten.js');
        return decodeJpegLs(bytes);
      }
      if (header.precision > 8) {
        const { decodeJpeg12 } = await import('./jpeg12.js');
        return decodeJpeg12(bytes, info);
      }
      const { decodeJpeg8 } = await import('./emscripten.js');
      return decodeJpeg8(bytes);
    }
    case 'jpegls': {
      const { decodeJpegLs } = await import('./emscripten.js');
      return decodeJpegLs(bytes);
    }
    case 'j2k': {
      const { decodeJpeg2000 } = await import('./emscripten.js');
      return decodeJpeg2000(bytes);
    }
    case 'htj2k': {
      const { decodeHtj2k } = await import('./emscripten.js');
      return decodeHtj2k(bytes);
    }
  }
}

function rawToSamples(raw: Uint8Array, bits: number): CodecOutput['data'] {
  if (bits === 8) return raw;
  if (bits === 16) return new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1);
  return new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength >> 2);
}
