/**
 * Helpers for bench modules (`bench/*.bench.ts`), which run in Chromium through `bench/run.mjs`.
 * A bench module default-exports `async function run(report: Report)` and calls `report` once per figure.
 */

/** One measured figure. `baseline` is the same measurement on the bare library in the same run. */
export interface Figure {
  group: string;
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  note?: string;
}

/** The callback a bench module receives: prints a table row and records the figure. */
export type Report = (r: Figure) => void;

/**
 * Whether to run the figures of `group`: true unless `BENCH_FILTER` (passed by bench/run.mjs) is set and the
 * group's name does not contain it (case-insensitive).
 */
export function wants(group: string): boolean {
  const filter = (globalThis as { __voxmarkBenchFilter?: string }).__voxmarkBenchFilter;
  return !filter || group.toLowerCase().includes(filter.toLowerCase());
}

/** Summary statistics of repeated timings, in milliseconds. */
export interface Timing {
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
  /** Every sample, in run order. */
  samples: number[];
}

export interface TimeOptions {
  /** Measured runs. Default 10. */
  iterations?: number;
  /** Unmeasured runs first (JIT warm-up, lazy chunk loading). Default 1. */
  warmup?: number;
  /** Called before every run, outside the measured time (reset caches, build fresh input). */
  setup?: () => void | Promise<void>;
}

/** Summarises timing samples (ms). */
export function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return { median, p95: at(0.95), min: sorted[0]!, max: sorted[sorted.length - 1]!, mean, samples };
}

/** Times `fn` (sync or async) over `iterations` runs after `warmup` unmeasured runs. */
export async function time(fn: () => unknown, options: TimeOptions = {}): Promise<Timing> {
  const iterations = Math.max(1, options.iterations ?? 10);
  const warmup = Math.max(0, options.warmup ?? 1);
  const samples: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    if (options.setup) await options.setup();
    const t0 = performance.now();
    const result = fn();
    if (result && typeof (result as Promise<unknown>).then === 'function') await result;
    const t = performance.now() - t0;
    if (i >= warmup) samples.push(t);
  }
  return summarise(samples);
}

/**
 * Times `a` and `b` in alternation (a, b, a, b, …), so that a change in the machine's load during the
 * measurement falls on both alike: use it for a figure and its baseline on a shared machine.
 */
export async function timeBoth(
  a: () => unknown,
  b: () => unknown,
  options: TimeOptions = {},
): Promise<[Timing, Timing]> {
  const iterations = Math.max(1, options.iterations ?? 10);
  const warmup = Math.max(0, options.warmup ?? 1);
  const one = { iterations: 1, warmup: 0, ...(options.setup ? { setup: options.setup } : {}) };
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const ta = await time(a, one);
    const tb = await time(b, one);
    if (i >= warmup) {
      sa.push(ta.median);
      sb.push(tb.median);
    }
  }
  return [summarise(sa), summarise(sb)];
}

/**
 * Frame intervals (ms between requestAnimationFrame callbacks) while `drive(frame)` runs once per
 * animation frame, for `frames` frames. Use it to measure scrolling or dragging smoothness.
 */
export function frameTimes(
  frames: number,
  drive: (frame: number) => void | Promise<void> = () => undefined,
): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const intervals: number[] = [];
    let last = -1;
    let n = 0;
    const tick = async (now: number) => {
      try {
        if (last >= 0) intervals.push(now - last);
        last = now;
        if (n >= frames) {
          resolve(summarise(intervals));
          return;
        }
        await drive(n++);
        requestAnimationFrame(tick);
      } catch (e) {
        reject(e);
      }
    };
    requestAnimationFrame(tick);
  });
}

/** Waits for the next animation frame (and its paint). */
export function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/** Runs a full garbage collection when Chromium was started with --js-flags=--expose-gc (bench/run.mjs does). */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export interface MemorySample {
  /** Bytes: total of measureUserAgentSpecificMemory when available (includes ArrayBuffers), else JS heap. */
  bytes: number;
  /** V8 JS heap in use (performance.memory.usedJSHeapSize), after a GC. */
  jsHeap: number;
  source: 'measureUserAgentSpecificMemory' | 'performance.memory' | 'none';
}

interface PerformanceWithMemory extends Performance {
  memory?: { usedJSHeapSize: number };
  measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
}

/**
 * Memory in use now, after a garbage collection. Uses `performance.measureUserAgentSpecificMemory`
 * (counts ArrayBuffer backing stores; needs the cross-origin isolation bench/run.mjs serves) when it answers
 * within `timeoutMs`, else `performance.memory` (JS heap only, precise with --enable-precise-memory-info).
 */
export async function memory(timeoutMs = 5000): Promise<MemorySample> {
  const perf = performance as PerformanceWithMemory;
  gc();
  const jsHeap = perf.memory?.usedJSHeapSize ?? 0;
  if (
    perf.measureUserAgentSpecificMemory &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
  ) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const measured = await Promise.race([
        perf.measureUserAgentSpecificMemory(),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), timeoutMs);
          // Chromium measures at the next GC: trigger one.
          setTimeout(gc, 0);
        }),
      ]);
      if (measured) return { bytes: measured.bytes, jsHeap, source: 'measureUserAgentSpecificMemory' };
    } catch {
      /* not allowed here: fall back */
    } finally {
      clearTimeout(timer);
    }
  }
  if (perf.memory) return { bytes: jsHeap, jsHeap, source: 'performance.memory' };
  return { bytes: 0, jsHeap: 0, source: 'none' };
}

/** Bytes to MiB, for reporting. */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}
