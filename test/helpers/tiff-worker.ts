/**
 * A host-made worker that loads a TIFF and returns one decoded frame, the way an application can keep TIFF
 * decoding off its main thread: voxmark's core is DOM-free, so loadImageStack runs unchanged in a worker.
 */
import { loadImageStack } from '../../src/core/load.js';

interface Request {
  bytes: Uint8Array;
  index: number;
}

self.addEventListener('message', (event: MessageEvent<Request>) => {
  const { bytes, index } = event.data;
  loadImageStack(bytes)
    .then((stack) => stack.getFrame(index))
    .then(
      (frame) => {
        (self as unknown as Worker).postMessage({ ok: true, data: frame.data }, [
          frame.data.buffer as ArrayBuffer,
        ]);
      },
      (e: unknown) => {
        (self as unknown as Worker).postMessage({ ok: false, message: String(e) });
      },
    );
});
