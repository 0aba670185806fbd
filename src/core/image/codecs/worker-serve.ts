import { ErrorCode, toVoxmarkError } from '../../errors.js';
import type { PixelArray } from '../types.js';
import { type CodecFrameInfo, decodeCompressedFrame } from './decode.js';

/** A request from a DecodeWorkerPool to a decode worker. */
export interface DecodeRequest {
  voxmark: 'decode';
  id: number;
  info: CodecFrameInfo;
  bytes: Uint8Array;
}

/** The worker's answer: the decoded samples (transferred), or a VoxmarkError's code and message. */
export type DecodeResponse =
  | { voxmark: 'decoded'; id: number; ok: true; data: PixelArray }
  | { voxmark: 'decoded'; id: number; ok: false; code: string; message: string };

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/**
 * Turns the current worker into a voxmark decode worker: it answers the requests of a
 * `createDecodeWorkerPool` on the page with decoded compressed DICOM frames. Call it once from your own
 * worker module, which your bundler builds as it builds any worker:
 *
 * ```ts
 * // decode-worker.ts
 * import { serveDecodeRequests } from 'voxmark/core';
 * serveDecodeRequests();
 *
 * // page
 * const pool = createDecodeWorkerPool(
 *   () => new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' }),
 * );
 * const stack = await loadImageStack(files, { decodePool: pool });
 * ```
 */
export function serveDecodeRequests(scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  scope.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as Partial<DecodeRequest> | null;
    if (!request || request.voxmark !== 'decode' || typeof request.id !== 'number') return;
    const { id } = request;
    decodeCompressedFrame(request.info!, request.bytes!).then(
      (data) => {
        const response: DecodeResponse = { voxmark: 'decoded', id, ok: true, data };
        scope.postMessage(response, [data.buffer as ArrayBuffer]);
      },
      (e: unknown) => {
        const error = toVoxmarkError(e, ErrorCode.CodecFailed, 'Could not decode the frame');
        const response: DecodeResponse = {
          voxmark: 'decoded',
          id,
          ok: false,
          code: error.code,
          message: error.message,
        };
        scope.postMessage(response);
      },
    );
  });
}
