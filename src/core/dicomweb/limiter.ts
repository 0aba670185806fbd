import { ErrorCode, VoxmarkError } from '../errors.js';

interface Waiter {
  start: () => void;
  signal: AbortSignal;
  onAbort: () => void;
  urgent: boolean;
}

/**
 * At most `max` jobs (requests) in flight. Urgent jobs (a frame a caller waits for) wait ahead of the
 * others (prefetches); a waiter whose signal fires leaves the queue at once and rejects with `aborted`.
 */
export class RequestLimiter {
  #active = 0;
  #queue: Waiter[] = [];

  constructor(readonly max: number) {}

  /** Jobs running, and waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.#active, waiting: this.#queue.length };
  }

  /** Runs `job` once a slot is free. */
  async run<T>(signal: AbortSignal, job: () => Promise<T>, urgent = false): Promise<T> {
    if (signal.aborted) throw aborted(signal);
    if (this.#active >= this.max) {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          start: resolve,
          signal,
          urgent,
          onAbort: () => {
            this.#queue = this.#queue.filter((w) => w !== waiter);
            reject(aborted(signal));
          },
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
        const firstLazy = urgent ? this.#queue.findIndex((w) => !w.urgent) : -1;
        if (firstLazy < 0) this.#queue.push(waiter);
        else this.#queue.splice(firstLazy, 0, waiter);
      });
    }
    this.#active++;
    try {
      return await job();
    } finally {
      this.#active--;
      const next = this.#queue.shift();
      if (next) {
        next.signal.removeEventListener('abort', next.onAbort);
        next.start();
      }
    }
  }
}

function aborted(signal: AbortSignal): VoxmarkError {
  return new VoxmarkError(ErrorCode.Aborted, 'The request was aborted', { cause: signal.reason });
}
