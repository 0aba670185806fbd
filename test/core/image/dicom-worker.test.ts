/**
 * Compressed frames decode in workers made by the host (a module that calls serveDecodeRequests), with
 * the same pixels as on the main thread; aborting stops the job; a worker that cannot start costs speed,
 * not frames.
 */
import { expect } from '@open-wc/testing';
import { createDecodeWorkerPool, loadImageStack } from '../../../src/core/index.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import { corpusBytes } from '../../helpers/corpus.js';
import { encodeHtj2k, encodeJpegLs } from '../../helpers/encoders.js';
import { defaultWorkers } from '../../../src/core/image/codecs/worker-pool.js';
import { TS, buildImage } from '../../helpers/dicom-builder.js';

const workerUrl = new URL('../../helpers/decode-worker.ts', import.meta.url);
const FILES = [
  'dicom/MR_small_jpeg_ls_lossless.dcm',
  'dicom/MR_small_jp2klossless.dcm',
  'dicom/JPGExtended.dcm',
  'dicom/SC_rgb_jpeg_dcmtk.dcm',
  'dicom/SC_rgb_rle_16bit_2frame.dcm',
  'dicom/SC_rgb_jpeg_gdcm.dcm',
];

describe('decoding in workers', function () {
  this.timeout(60_000);

  it('gives the same frames as the main thread, in workers the pool started', async () => {
    const pool = createDecodeWorkerPool(() => new Worker(workerUrl, { type: 'module' }), { maxWorkers: 2 });
    try {
      for (const file of FILES) {
        const bytes = await corpusBytes(file);
        const here = await loadImageStack(bytes);
        const there = await loadImageStack(bytes, { decodePool: pool });
        for (let i = 0; i < here.depth; i++) {
          const a = await here.getFrame(i);
          const b = await there.getFrame(i);
          expect(b.data.constructor, file).to.equal(a.data.constructor);
          expect(Array.from(b.data), `${file} frame ${i}`).to.deep.equal(Array.from(a.data));
        }
      }
      expect(pool.size).to.be.within(1, 2);
    } finally {
      pool.terminate();
    }
    expect(pool.size).to.equal(0);
  });

  it('sizes the pool by default to one worker per thread up to two, then one fewer than the threads, at most 4', () => {
    expect([1, 2, 3, 4, 8, 64].map(defaultWorkers)).to.deep.equal([1, 2, 2, 3, 4, 4]);
  });

  it('spreads a series asked for at once over the default workers, with the right pixels', async () => {
    const size = 32;
    const frames = 8;
    const samples = Array.from({ length: frames }, (_, f) =>
      Array.from({ length: size * size }, (_, i) => (i * 7 + f * 131) % 4096),
    );
    const info = { width: size, height: size, bitsPerSample: 16, componentCount: 1 };
    const fragments = await Promise.all(samples.map((s) => encodeJpegLs(info, s)));
    const file = buildImage(
      { rows: size, columns: size, frames, encapsulated: { offsets: [], fragments } },
      { transferSyntax: TS.jpegLs },
    );
    let started = 0;
    const pool = createDecodeWorkerPool(() => {
      started++;
      return new Worker(workerUrl, { type: 'module' });
    });
    try {
      const stack = await loadImageStack(file, { decodePool: pool });
      const all = await Promise.all(Array.from({ length: frames }, (_, i) => stack.getFrame(i)));
      all.forEach((f, i) => expect(Array.from(f.data), `frame ${i}`).to.deep.equal(samples[i]));
      expect(started).to.equal(Math.min(frames, defaultWorkers(navigator.hardwareConcurrency)));
    } finally {
      pool.terminate();
    }
  });

  it('reports codec errors from the worker as VoxmarkErrors', async () => {
    const pool = createDecodeWorkerPool(() => new Worker(workerUrl, { type: 'module' }), { maxWorkers: 1 });
    try {
      const bytes = (await corpusBytes('dicom/MR_small_jpeg_ls_lossless.dcm')).slice();
      // Make the header say 63 rows: the codestream's 64 no longer fit, which the worker must report.
      const rows = [0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00, 0x40, 0x00];
      const at = bytes.findIndex((_, i) => rows.every((b, k) => bytes[i + k] === b));
      expect(at).to.be.above(0);
      bytes[at + 8] = 63;
      const stack = await loadImageStack(bytes, { decodePool: pool });
      const error = await voxmarkRejection(stack.getFrame(0));
      expect(error.code).to.equal('corrupt');
    } finally {
      pool.terminate();
    }
  });

  it('aborts a job', async () => {
    const pool = createDecodeWorkerPool(() => new Worker(workerUrl, { type: 'module' }), { maxWorkers: 1 });
    try {
      const stack = await loadImageStack(await corpusBytes('dicom/JPEG2000.dcm'), { decodePool: pool });
      const controller = new AbortController();
      const pending = stack.getFrame(0, { signal: controller.signal });
      controller.abort();
      const error = await voxmarkRejection(pending);
      expect(error.code).to.equal('aborted');
      // The pool still works afterwards.
      expect((await stack.getFrame(0)).data.length).to.equal(1024 * 256);
    } finally {
      pool.terminate();
    }
  });

  it('aborting a job in flight terminates its worker; the pool starts another', async () => {
    const pool = createDecodeWorkerPool(() => new Worker(workerUrl, { type: 'module' }), { maxWorkers: 1 });
    try {
      const values = Array.from({ length: 64 * 48 }, (_, i) => (i * 31) % 65536);
      const info = { width: 64, height: 48, bitsPerSample: 16, componentCount: 1 };
      const encoded = await encodeHtj2k(info, values);
      const frame = {
        transferSyntaxUID: '1.2.840.10008.1.2.4.201',
        rows: 48,
        columns: 64,
        samplesPerPixel: 1,
        bitsAllocated: 16,
        bitsStored: 16,
        pixelRepresentation: 0,
        photometricInterpretation: 'MONOCHROME2',
      };
      const controller = new AbortController();
      const inFlight = pool.decode(frame, encoded, controller.signal);
      expect(pool.size).to.equal(1);
      controller.abort();
      const error = await voxmarkRejection(inFlight);
      expect(error.code).to.equal('aborted');
      expect(pool.size, 'the worker was terminated').to.equal(0);
      expect(Array.from(await pool.decode(frame, encoded))).to.deep.equal(values);
      expect(pool.size).to.equal(1);
    } finally {
      pool.terminate();
    }
  });

  it('stops a worker whose job outlives the timeout, and fails that job with codec-failed', async () => {
    // A fresh worker has to start, import the codec and compile its WebAssembly: far longer than 1 ms.
    const pool = createDecodeWorkerPool(() => new Worker(workerUrl, { type: 'module' }), {
      maxWorkers: 1,
      timeoutMs: 1,
    });
    try {
      const stack = await loadImageStack(await corpusBytes('dicom/JPEG2000.dcm'), { decodePool: pool });
      const error = await voxmarkRejection(stack.getFrame(0));
      expect(error.code).to.equal('codec-failed');
      expect(error.message).to.match(/longer than 1 ms/);
      expect(pool.size).to.equal(0);
    } finally {
      pool.terminate();
    }
  });

  it('falls back to this thread when the worker cannot start', async () => {
    const pool = createDecodeWorkerPool(
      () => new Worker(new URL('./no-such-worker.js', import.meta.url), { type: 'module' }),
    );
    try {
      const bytes = await corpusBytes('dicom/MR_small_jpeg_ls_lossless.dcm');
      const expected = await (await loadImageStack(bytes)).getFrame(0);
      const frame = await (await loadImageStack(bytes, { decodePool: pool })).getFrame(0);
      expect(Array.from(frame.data)).to.deep.equal(Array.from(expected.data));
    } finally {
      pool.terminate();
    }
  });
});
