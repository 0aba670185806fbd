/**
 * Running effects in a worker that the host owns. The host writes a worker module that calls
 * `serveEffectRequests()` and hands a `Worker` made from it to the effect (`growFromSeeds(…, { worker })`),
 * as it does for decoding with `serveDecodeRequests`. The worker keeps each session's state between requests,
 * so incremental updates stay incremental there, and checks for cancellation between chunks of work.
 * @module
 */
import { ErrorCode, VoxmarkError, toVoxmarkError } from '../errors.js';
import { GrowCutEngine } from './grow-cut.js';
import { yieldToEventLoop } from './common.js';

/** Requests from the page to an effect worker. */
export type EffectRequest =
  | {
      voxmark: 'effect';
      id: number;
      op: 'grow-init';
      session: number;
      width: number;
      height: number;
      depth: number;
      values: Float32Array;
    }
  | { voxmark: 'effect'; id: number; op: 'grow-run'; session: number; seeds: Uint8Array }
  | { voxmark: 'effect'; id: number; op: 'grow-dispose'; session: number }
  | { voxmark: 'effect-cancel'; id: number };

/** A request without its id (distributes over the union, unlike a plain Omit). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Answers from an effect worker: progress while a request runs, then one result. */
export type EffectResponse =
  | { voxmark: 'effect-progress'; id: number; done: number; total: number }
  | { voxmark: 'effect-result'; id: number; ok: true; labels?: Uint8Array }
  | { voxmark: 'effect-result'; id: number; ok: false; code: string; message: string };

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/**
 * Turns the current worker into a voxmark effect worker. Call it once from your own worker module:
 *
 * ```ts
 * // effects-worker.ts
 * import { serveEffectRequests } from 'voxmark/core';
 * serveEffectRequests();
 *
 * // page
 * const worker = new Worker(new URL('./effects-worker.ts', import.meta.url), { type: 'module' });
 * const labels = await growFromSeeds(stack, seeds, { worker });
 * ```
 */
export function serveEffectRequests(scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  const sessions = new Map<number, GrowCutEngine>();
  const cancelled = new Set<number>();
  const reply = (response: EffectResponse, transfer: Transferable[] = []) =>
    scope.postMessage(response, transfer);
  const fail = (id: number, e: unknown) => {
    const error = toVoxmarkError(e, ErrorCode.InvalidArgument, 'The effect failed');
    reply({ voxmark: 'effect-result', id, ok: false, code: error.code, message: error.message });
  };

  scope.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as EffectRequest | null;
    if (!request || typeof request.id !== 'number') return;
    if (request.voxmark === 'effect-cancel') {
      cancelled.add(request.id);
      return;
    }
    if (request.voxmark !== 'effect') return;
    const { id } = request;
    try {
      if (request.op === 'grow-init') {
        sessions.set(
          request.session,
          new GrowCutEngine(request.values, request.width, request.height, request.depth),
        );
        reply({ voxmark: 'effect-result', id, ok: true });
      } else if (request.op === 'grow-dispose') {
        sessions.delete(request.session);
        reply({ voxmark: 'effect-result', id, ok: true });
      } else if (request.op === 'grow-run') {
        const engine = sessions.get(request.session);
        if (!engine)
          throw new VoxmarkError(ErrorCode.InvalidArgument, `No grow-from-seeds session ${request.session}`);
        engine
          .run(request.seeds, async (done, total) => {
            reply({ voxmark: 'effect-progress', id, done, total });
            await yieldToEventLoop(); // lets a cancel message in
            if (cancelled.has(id)) throw new VoxmarkError(ErrorCode.Aborted, 'Grow from seeds was aborted');
          })
          .then(
            (labels) => reply({ voxmark: 'effect-result', id, ok: true, labels }, [labels.buffer]),
            (e: unknown) => fail(id, e),
          )
          .finally(() => cancelled.delete(id));
      }
    } catch (e) {
      fail(id, e);
    }
  });
}

/** The page side of one effect worker: numbered requests, progress callbacks, cancellation. */
export class EffectWorkerClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    {
      resolve: (labels: Uint8Array | undefined) => void;
      reject: (e: unknown) => void;
      onProgress?: (p: { done: number; total: number }) => void;
    }
  >();

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent) => {
      const r = event.data as EffectResponse | null;
      if (!r || typeof r.id !== 'number') return;
      const job = this.pending.get(r.id);
      if (!job) return;
      if (r.voxmark === 'effect-progress') job.onProgress?.({ done: r.done, total: r.total });
      else if (r.voxmark === 'effect-result') {
        this.pending.delete(r.id);
        if (r.ok) job.resolve(r.labels);
        else job.reject(new VoxmarkError(r.code as ErrorCode, r.message));
      }
    });
    const broken = (event: Event) => {
      const detail = (event as ErrorEvent).message ?? event.type;
      // The failure reaches the caller as a rejection: do not report it a second time as uncaught.
      if (this.pending.size > 0) event.preventDefault();
      for (const job of this.pending.values())
        job.reject(
          new VoxmarkError(
            ErrorCode.Unsupported,
            `The effect worker failed (${detail}); is it a module that calls serveEffectRequests()?`,
          ),
        );
      this.pending.clear();
    };
    worker.addEventListener('error', broken);
    worker.addEventListener('messageerror', broken);
  }

  /**
   * Sends a request (its `id` is filled in) and resolves with the labels of its result. Aborting sends a
   * cancel message; the worker stops at its next checkpoint and the promise rejects with 'aborted'.
   */
  request(
    message: WithoutId<Extract<EffectRequest, { voxmark: 'effect' }>>,
    transfer: Transferable[] = [],
    options: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void } = {},
  ): Promise<Uint8Array | undefined> {
    const id = this.nextId++;
    const { signal } = options;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.worker.postMessage({ voxmark: 'effect-cancel', id } satisfies EffectRequest);
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => {
          done();
          resolve(v);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        onProgress: options.onProgress,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ ...message, id } as EffectRequest, transfer);
      if (signal?.aborted) onAbort();
    });
  }
}
