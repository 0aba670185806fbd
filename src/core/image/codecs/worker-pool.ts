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
  /**
   * Most workers at once. Default: one per hardware thread on two threads or fewer (the page waits for the
   * frames while they decode), else hardware threads − 1, at most 4.
   */
  maxWorkers?: number;
  /** Stop a worker after this long without work, in ms. Default 15 000. */
  idleMs?: number;
  /**
   * A job that runs longer than this (ms) has its worker stopped and fails with 'codec-failed': the one
   * guard against a codec that never returns on hostile data. Default 60 000; 0 turns it off.
   */
  timeoutMs?: number;
}

/** Workers for `threads` hardware threads: all of them up to two, then one left for the page, at most 4. */
export function defaultWorkers(threads: number): number {
  return Math.min(4, Math.max(1, threads <= 2 ? threads : threads - 1));
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
  return new WorkerPool(createWorker, options);
}

class WorkerPool implements DecodeWorkerPool {
  private readonly maxWorkers: number;
  private readonly idleMs: number;
  private readonly timeoutMs: number;
  private readonly slots: Slot[] = [];
  private nextId = 1;
  /** Workers failed to start: decode in this thread from now on. */
  private broken = false;

  constructor(
    private readonly createWorker: () => Worker,
    options: DecodeWorkerPoolOptions,
  ) {
    const threads = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
      ?.hardwareConcurrency;
    this.maxWorkers = Math.max(1, options.maxWorkers ?? defaultWorkers(threads ?? 2));
    this.idleMs = options.idleMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  get size(): number {
    return this.slots.length;
  }

  terminate(): void {
    for (const slot of this.slots.slice()) {
      this.remove(slot);
      const jobs = [...slot.jobs.values()];
      slot.jobs.clear();
      for (const job of jobs) this.fallBack(job);
    }
  }

  decode(info: CodecFrameInfo, bytes: Uint8Array, signal?: AbortSignal): Promise<PixelArray> {
    return new Promise<PixelArray>((resolve, reject) => {
      throwIfAborted(signal);
      const job: Job = { id: this.nextId++, info, bytes, resolve, reject };
      const onAbort = () => {
        if (job.slot?.jobs.has(job.id)) this.stopWorker(job.slot, job);
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
      this.dispatch(job);
    });
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.worker.terminate();
  }

  private fallBack(job: Job): void {
    decodeCompressedFrame(job.info, job.bytes).then(job.resolve, job.reject);
  }

  private spawn(): Slot | undefined {
    let worker: Worker;
    try {
      worker = this.createWorker();
    } catch {
      this.broken = true;
      return undefined;
    }
    const slot: Slot = { worker, jobs: new Map(), answered: false };
    worker.addEventListener('message', (event: MessageEvent) => this.answer(slot, event));
    const fail = () => {
      // A worker that never answered could not start (wrong URL, no module workers): stop trying.
      if (!slot.answered) this.broken = true;
      this.remove(slot);
      for (const job of slot.jobs.values()) this.fallBack(job);
      slot.jobs.clear();
    };
    worker.addEventListener('error', fail);
    worker.addEventListener('messageerror', fail);
    this.slots.push(slot);
    return slot;
  }

  private answer(slot: Slot, event: MessageEvent): void {
    const response = event.data as DecodeResponse | null;
    if (!response || response.voxmark !== 'decoded') return;
    slot.answered = true;
    const job = slot.jobs.get(response.id);
    if (!job) return;
    slot.jobs.delete(response.id);
    if (response.ok) job.resolve(response.data);
    else job.reject(new VoxmarkError(response.code as ErrorCode, response.message));
    this.armIdle(slot);
  }

  private armIdle(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (slot.jobs.size === 0) slot.idleTimer = setTimeout(() => this.remove(slot), this.idleMs);
  }

  private pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.jobs.size < best.jobs.size) best = s;
    if ((!best || best.jobs.size > 0) && this.slots.length < this.maxWorkers) return this.spawn() ?? best;
    return best;
  }

  /** Stops a worker because of one job; its other jobs move to another worker. */
  private stopWorker(slot: Slot, culprit: Job): void {
    const others = [...slot.jobs.values()].filter((j) => j !== culprit);
    slot.jobs.clear();
    this.remove(slot);
    for (const other of others) this.dispatch(other);
  }

  private dispatch(job: Job): void {
    const slot = this.broken ? undefined : this.pick();
    if (!slot) {
      this.fallBack(job);
      return;
    }
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.jobs.set(job.id, job);
    job.slot = slot;
    if (this.timeoutMs > 0) this.armTimeout(slot, job);
    // The worker gets its own copy: the caller's bytes stay usable.
    const copy = job.bytes.slice();
    const request: DecodeRequest = { voxmark: 'decode', id: job.id, info: job.info, bytes: copy };
    slot.worker.postMessage(request, [copy.buffer]);
  }

  private armTimeout(slot: Slot, job: Job): void {
    const timeoutMs = this.timeoutMs;
    if (job.timer) clearTimeout(job.timer);
    job.timer = setTimeout(() => {
      if (job.slot !== slot || !slot.jobs.has(job.id)) return;
      this.stopWorker(slot, job);
      job.reject(
        new VoxmarkError('codec-failed', `Decoding took longer than ${timeoutMs} ms; its worker was stopped`),
      );
    }, timeoutMs);
  }
}
