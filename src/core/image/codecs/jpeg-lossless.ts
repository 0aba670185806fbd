import { Decoder } from 'jpeg-lossless-decoder-js';
import { ErrorCode, VoxmarkError, toVoxmarkError } from '../../errors.js';
import type { CodecOutput } from './wasm.js';
import { readJpegFrameHeader } from './jpeg-markers.js';

/** JPEG lossless (processes 14 and 14 selection value 1), by jpeg-lossless-decoder-js. */
export function decodeJpegLossless(bytes: Uint8Array): CodecOutput {
  const header = readJpegFrameHeader(bytes);
  const numBytes = header.precision > 8 ? 2 : 1;
  // Every sample costs at least one bit of Huffman code: refuse sizes the data cannot hold.
  if (header.width * header.height * header.components > bytes.length * 8) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `JPEG lossless frame of ${header.width}×${header.height} needs more data than the ${bytes.length} bytes present`,
    );
  }
  let decoded: ArrayBufferView;
  try {
    // The decoder reads from an ArrayBuffer; hand it a copy of just this frame.
    const buffer = bytes.slice().buffer;
    decoded = new Decoder().decode(buffer, 0, buffer.byteLength, numBytes) as ArrayBufferView;
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.CodecFailed, 'JPEG lossless could not decode the frame');
  }
  const data =
    numBytes === 2
      ? new Uint16Array(decoded.buffer, decoded.byteOffset, decoded.byteLength >> 1)
      : new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  return {
    data,
    width: header.width,
    height: header.height,
    samplesPerPixel: header.components,
    bitsPerSample: header.precision,
    signed: false,
  };
}
