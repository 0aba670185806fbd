import { type ErrorCode, VoxmarkError, throwIfAborted } from '../../errors.js';
import type { PixelArray } from '../types.js';
import { type CodecFrameInfo, decodeCompressedFrame } from './decode.js';
import type { DecodeRequest, DecodeResponse } from './worker-serve.js';

/** Decodes compressed frames off the main thread. Share one between stacks; `terminate` when done. */
export interface DecodeWorkerPool {
  decode(info: CodecFrameInfo, bytes: Uint8Array, signal?: AbortSignal): Promise<PixelArray>;
  /** Stops every worker now; later decodes start new ones. */
  terminate(): void;
  /** Workers currently running. */
  readonly size: number;
}

export interface DecodeWorkerPoolOptions {
  /** Most workers at once. Default: hardware threads − 1, between 1 and 4. */
  maxWorkers?: number;
  /** Stop a worker after this long without work, in ms. Default 15 000. */
  idleMs?: number;
  /**
   * A job that runs longer than this (ms) has its worker stopped and fails with 'codec-failed': the one
   * guard against a codec that never returns on hostile data. Default 60 000; 0 turns it off.
   */
  timeoutMs?: number;
}

interface Job {
  id: number;
  resolve: (data: PixelArray) => void;
  reject: (error: unknown) => void;
  info: CodecFrameInfo;
  bytes: Uint8Array;
  /** The worker the job was last sent to. */
  slot?: Slot;
  timer?: ReturnType<typeof setTimeout>;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  idleTimer?: ReturnType<typeof setTimeout>;
  answered: boolean;
}

/**
 * A pool of decode workers made by `createWorker` (a worker module that calls `serveDecodeRequests`).
 * Jobs go to the least busy worker. Aborting a job terminates its worker, which also stops a decode that
 * runs long; the pool starts another when needed. If a worker cannot start or crashes, its jobs are
 * decoded on the calling thread instead, so a misconfigured worker costs speed, never frames.
 */
export function createDecodeWorkerPool(
  createWorker: () => Worker,
  options: DecodeWorkerPoolOptions = {},
): DecodeWorkerPool {
  const threads = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  const maxWorkers = Math.max(1, options.maxWorkers ?? Math.min(4, Math.max(1, (threads ?? 2) - 1)));
  const idleMs = options.idleMs ?? 15_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const slots: Slot[] = [];
  let nextId = 1;
  let broken = false; // workers failed to start: decode in this thread from now on

  const remove = (slot: Slot) => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.worker.terminate();
  };

  const fallBack = (job: Job) => {
    decodeCompressedFrame(job.info, job.bytes).then(job.resolve, job.reject);
  };

  const spawn = (): Slot | undefined => {
    let worker: Worker;
    try {
      worker = createWorker();
    } catch {
      broken = true;
      return undefined;
    }
    const slot: Slot = { worker, jobs: new Map(), answered: false };
    worker.addEventListener('message', (event: MessageEvent) => {
      const response = event.data as DecodeResponse | null;
      if (!response || response.voxmark !== 'decoded') return;
      slot.answered = true;
      const job = slot.jobs.get(response.id);
      if (!job) return;
      slot.jobs.delete(response.id);
      if (response.ok) job.resolve(response.data);
      else job.reject(new VoxmarkError(response.code as ErrorCode, response.message));
      armIdle(slot);
    });
    const fail = () => {
      // A worker that never answered could not start (wrong URL, no module workers): stop trying.
      if (!slot.answered) broken = true;
      remove(slot);
      for (const job of slot.jobs.values()) fallBack(job);
      slot.jobs.clear();
    };
    worker.addEventListener('error', fail);
    worker.addEventListener('messageerror', fail);
    slots.push(slot);
    return slot;
  };

  const armIdle = (slot: Slot) => {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (slot.jobs.size === 0) slot.idleTimer = setTimeout(() => remove(slot), idleMs);
  };

  const pick = (): Slot | undefined => {
    let best: Slot | undefined;
    for (const s of slots) if (!best || s.jobs.size < best.jobs.size) best = s;
    if ((!best || best.jobs.size > 0) && slots.length < maxWorkers) return spawn() ?? best;
    return best;
  };

  const pool: DecodeWorkerPool = {
    get size() {
      return slots.length;
    },
    terminate() {
      for (const slot of slots.slice()) {
        remove(slot);
        const jobs = [...slot.jobs.values()];
        slot.jobs.clear();
        for (const job of jobs) fallBack(job);
      }
    },
    decode(info, bytes, signal) {
      return new Promise<PixelArray>((resolve, reject) => {
        throwIfAborted(signal);
        const job: Job = { id: nextId++, info, bytes, resolve, reject };
        const onAbort = () => {
          if (job.slot?.jobs.has(job.id)) stopWorker(job.slot, job);
          job.reject(new VoxmarkError('aborted', 'Decoding was aborted', { cause: signal?.reason }));
        };
        const cleanup = () => {
          signal?.removeEventListener('abort', onAbort);
          if (job.timer) clearTimeout(job.timer);
        };
        job.resolve = (data) => {
          cleanup();
          resolve(data);
        };
        job.reject = (error) => {
          cleanup();
          reject(error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        dispatch(job);
      });
    },
  };

  /** Stops a worker because of one job; its other jobs move to another worker. */
  function stopWorker(slot: Slot, culprit: Job): void {
    const others = [...slot.jobs.values()].filter((j) => j !== culprit);
    slot.jobs.clear();
    remove(slot);
    for (const other of others) dispatch(other);
  }

  function dispatch(job: Job): void {
    const slot = broken ? undefined : pick();
    if (!slot) {
      fallBack(job);
      return;
    }
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.jobs.set(job.id, job);
    job.slot = slot;
    if (timeoutMs > 0) {
      if (job.timer) clearTimeout(job.timer);
      job.timer = setTimeout(() => {
        if (job.slot !== slot || !slot.jobs.has(job.id)) return;
        stopWorker(slot, job);
        job.reject(
          new VoxmarkError(
            'codec-failed',
            `Decoding took longer than ${timeoutMs} ms; its worker was stopped`,
          ),
        );
      }, timeoutMs);
    }
    // The worker gets its own copy: the caller's bytes stay usable.
    const copy = job.bytes.slice();
    const request: DecodeRequest = { voxmark: 'decode', id: job.id, info: job.info, bytes: copy };
    slot.worker.postMessage(request, [copy.buffer]);
  }

  return pool;
}
