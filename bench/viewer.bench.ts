/**
 * <vx-viewer> performance: slice change to frame on screen, a 240-frame scroll, window/level, on a
 * 512×512×300 CT stack and a 4096×4096 16-bit image, and memory after loading. Each figure stands
 * beside a bare-canvas baseline measured in the same run (putImageData of precomputed display pixels,
 * or the minimal hand-written LUT + putImageData for window/level).
 */
import { frameTimes, gc, memory, mib, nextFrame, summarise, wants, type Report } from './harness.js';
import '../src/define.js';
import { createImageStack } from '../src/core/image/stack.js';
import type { ImageStack } from '../src/core/image/types.js';
import { applyLut, buildVoiLut, type VoiParams } from '../src/core/image/voi.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { phantomSliceStored } from '../stories/data/phantom.js';

const VIEW = 800;
const BUDGET = 1000 / 60;

/** A CT-like 16-bit stack: `distinct` phantom slices, repeated with a per-slice offset so every frame differs. */
function ctStack(size: number, depth: number, distinct: number): ImageStack {
  const bases = Array.from({ length: distinct }, (_, i) =>
    phantomSliceStored(Math.round((i * 59) / Math.max(1, distinct - 1)), { size, depth: 60, noise: 8 }),
  );
  const frames: Uint16Array[] = [];
  for (let z = 0; z < depth; z++) {
    const f = new Uint16Array(bases[z % distinct]!);
    const k = z % 7;
    for (let i = 0; i < f.length; i += 97) f[i] = f[i]! + k;
    frames.push(f);
  }
  return createImageStack({
    width: size,
    height: size,
    frames,
    dataType: 'uint16',
    rescaleIntercept: -1024,
    spacing: [0.7, 0.7, 1],
    windowPresets: [{ name: 'Soft tissue', center: 40, width: 400 }],
    metadata: { modality: 'CT', storedRange: [0, 4095] },
  });
}

async function mountViewer(stack: ImageStack): Promise<VxViewer> {
  const el = document.createElement('vx-viewer');
  el.style.cssText = `width:${VIEW}px;height:${VIEW}px;display:block`;
  document.body.append(el);
  const loaded = new Promise((resolve) => el.addEventListener('vx-load', resolve, { once: true }));
  el.stack = stack;
  await loaded;
  await el.renderComplete;
  return el;
}

/** A plain visible canvas of the view's size, drawing a frame-sized offscreen canvas scaled to fit. */
function bareCanvas(size: number) {
  const screen = document.createElement('canvas');
  screen.width = VIEW;
  screen.height = VIEW;
  screen.style.cssText = `width:${VIEW}px;height:${VIEW}px;display:block`;
  document.body.append(screen);
  const off = document.createElement('canvas');
  off.width = size;
  off.height = size;
  const offCtx = off.getContext('2d', { alpha: false })!;
  const ctx = screen.getContext('2d', { alpha: false })!;
  ctx.imageSmoothingEnabled = size > VIEW;
  const image = new ImageData(size, size);
  const pixels = new Uint32Array(image.data.buffer);
  const show = (data?: ImageData) => {
    offCtx.putImageData(data ?? image, 0, 0);
    ctx.drawImage(off, 0, 0, VIEW, VIEW);
  };
  return { screen, image, pixels, show, remove: () => screen.remove() };
}

const params = (center: number, width: number): VoiParams => ({
  center,
  width,
  fn: 'LINEAR',
  invert: false,
  slope: 1,
  intercept: -1024,
});

async function benchStack(report: Report, group: string, stack: ImageStack, scrollFrames: number) {
  const size = stack.width;
  // Decode everything first: the scroll targets apply "once decoded".
  for (let z = 0; z < stack.depth; z++) await stack.getFrame(z);
  const el = await mountViewer(stack);
  const depth = stack.depth;

  // --- slice change → frame on screen (latency, includes waiting for the animation frame) and the work itself.
  const latency: number[] = [];
  const work: number[] = [];
  const n = Math.min(depth - 1, 60);
  for (let i = 1; i <= n; i++) {
    const t0 = performance.now();
    el.slice = i;
    await el.renderComplete;
    latency.push(performance.now() - t0);
  }
  // Work: everything the viewer does for a slice change (state, overlay text update, image render, draw).
  for (let i = n; i >= 1; i--) {
    const t0 = performance.now();
    el.slice = i;
    await el.updateComplete;
    el.flushDraw();
    work.push(performance.now() - t0);
  }
  // The same at a window never shown before: every slice renders (LUT, pixel loop, putImageData).
  const uncached: number[] = [];
  el.windowCenter += 1;
  await el.renderComplete;
  for (let i = 1; i <= n; i++) {
    const t0 = performance.now();
    el.slice = i;
    await el.updateComplete;
    el.flushDraw();
    uncached.push(performance.now() - t0);
  }
  el.windowCenter -= 1;
  await el.renderComplete;
  // Baseline: putImageData of precomputed display pixels, drawn in the next animation frame.
  const bare = bareCanvas(size);
  const lut = buildVoiLut(0, 4095, params(40, 400));
  const pre: ImageData[] = [];
  for (let i = 0; i < Math.min(n, 16); i++) {
    const img = new ImageData(size, size);
    applyLut((await stack.getFrame(i)).data, lut, new Uint32Array(img.data.buffer));
    pre.push(img);
  }
  const bareLatency: number[] = [];
  const bareWork: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t0 = performance.now();
    await nextFrame();
    const w0 = performance.now();
    bare.show(pre[i % pre.length]);
    bareWork.push(performance.now() - w0);
    bareLatency.push(performance.now() - t0);
  }
  const lat = summarise(latency);
  const blat = summarise(bareLatency);
  const wk = summarise(work);
  const bwk = summarise(bareWork);
  report({
    group,
    name: 'slice change → on screen, median',
    value: lat.median,
    unit: 'ms',
    baseline: blat.median,
    note: 'includes the wait for the animation frame',
  });
  report({ group, name: 'slice change → on screen, p95', value: lat.p95, unit: 'ms', baseline: blat.p95 });
  report({
    group,
    name: 'work per slice change, median',
    value: wk.median,
    unit: 'ms',
    baseline: bwk.median,
    note: size <= 512 ? 'target ≤ 1 ms; slices shown before, at this window: cached bitmaps' : undefined,
  });
  report({ group, name: 'work per slice change, p95', value: wk.p95, unit: 'ms', baseline: bwk.p95 });
  report({
    group,
    name: 'work per slice change at a new window, median',
    value: summarise(uncached).median,
    unit: 'ms',
    baseline: bwk.median,
    note: 'every slice rendered afresh',
  });

  // --- a scroll of `scrollFrames` animation frames, one slice per frame.
  const scrollWork: number[] = [];
  let s = 0;
  const intervals = await frameTimes(scrollFrames, async () => {
    const t0 = performance.now();
    s = (s + 1) % depth;
    el.slice = s;
    await el.updateComplete;
    el.flushDraw();
    scrollWork.push(performance.now() - t0);
  });
  const bareScrollWork: number[] = [];
  const bareIntervals = await frameTimes(scrollFrames, (i) => {
    const t0 = performance.now();
    bare.show(pre[i % pre.length]);
    bareScrollWork.push(performance.now() - t0);
  });
  const over = scrollWork.filter((t) => t > BUDGET).length;
  const bareOver = bareScrollWork.filter((t) => t > BUDGET).length;
  report({
    group,
    name: `scroll: frames whose work > 16.7 ms (of ${scrollFrames})`,
    value: over,
    unit: 'frames',
    baseline: bareOver,
    note: 'target 0',
  });
  report({
    group,
    name: `scroll: frame intervals > 16.7 ms × 1.5 (dropped)`,
    value: intervals.samples.filter((t) => t > BUDGET * 1.5).length,
    unit: 'frames',
    baseline: bareIntervals.samples.filter((t) => t > BUDGET * 1.5).length,
  });
  const sw = summarise(scrollWork);
  report({
    group,
    name: 'scroll: work per frame, median',
    value: sw.median,
    unit: 'ms',
    baseline: summarise(bareScrollWork).median,
  });
  report({
    group,
    name: 'scroll: work per frame, max',
    value: sw.max,
    unit: 'ms',
    baseline: summarise(bareScrollWork).max,
  });

  // --- window/level change → on screen (synchronous draw: LUT, pixel loop, putImageData, Konva draw).
  const wl: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    el.windowCenter = 40 + (i % 2 ? 5 : -5) * (i + 1);
    el.windowWidth = 400 + i;
    await el.updateComplete;
    el.flushDraw();
    wl.push(performance.now() - t0);
  }
  const frame0 = await stack.getFrame(el.slice);
  const bareWl: number[] = [];
  const table = new Uint32Array(4096);
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const l = buildVoiLut(0, 4095, params(40 + i, 400 + i), table);
    applyLut(frame0.data, l, bare.pixels);
    bare.show();
    bareWl.push(performance.now() - t0);
  }
  const w = summarise(wl);
  const bw = summarise(bareWl);
  report({
    group,
    name: 'window/level → on screen, median',
    value: w.median,
    unit: 'ms',
    baseline: bw.median,
    note: size >= 4096 ? 'target ≤ 60 ms' : 'target ≤ 4 ms',
  });
  report({ group, name: 'window/level → on screen, p95', value: w.p95, unit: 'ms', baseline: bw.p95 });
  if (size > VIEW) {
    // Zoomed in to 1:1 the whole image is rendered at full resolution: the worst case for window/level.
    el.setView({ zoom: 1 });
    await el.renderComplete;
    const full: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      el.windowCenter = 60 + i;
      await el.updateComplete;
      el.flushDraw();
      full.push(performance.now() - t0);
    }
    const f = summarise(full);
    report({
      group,
      name: 'window/level at 1:1 (full resolution), median',
      value: f.median,
      unit: 'ms',
      baseline: bw.median,
      note: 'target ≤ 60 ms',
    });
    report({
      group,
      name: 'window/level at 1:1 (full resolution), p95',
      value: f.p95,
      unit: 'ms',
      baseline: bw.p95,
    });
  }
  bare.remove();
  el.remove();
}

/** Memory with the stack decoded and a viewer showing it, beside the stack alone, both above `m0`. */
async function memoryFigure(report: Report, group: string, stack: ImageStack, m0: number, stackOnly: number) {
  const el = await mountViewer(stack);
  for (let z = 0; z < stack.depth; z += Math.max(1, Math.floor(stack.depth / 30))) {
    el.slice = z;
    await el.renderComplete;
  }
  const m = await memory();
  const raw = stack.width * stack.height * 2 * stack.depth;
  report({
    group,
    name: 'memory after loading (stack + viewer)',
    value: mib(m.bytes - m0),
    unit: 'MiB',
    baseline: mib(stackOnly - m0),
    note: `baseline = the decoded stack alone (${mib(raw).toFixed(0)} MiB of pixels); ${m.source}`,
  });
  el.remove();
}

/** Memory and timings of one stack, when the bench filter wants its group. */
async function benchGroup(report: Report, group: string, make: () => ImageStack, scrollFrames: number) {
  if (!wants(group)) return;
  gc();
  await nextFrame();
  const m0 = (await memory()).bytes;
  const stack = make();
  for (let z = 0; z < stack.depth; z++) await stack.getFrame(z);
  const m1 = (await memory()).bytes;
  await memoryFigure(report, group, stack, m0, m1);
  await benchStack(report, group, stack, scrollFrames);
}

export default async function run(report: Report) {
  await benchGroup(report, 'viewer 512×512×300 CT', () => ctStack(512, 300, 12), 240);
  await benchGroup(report, 'viewer 4096×4096 16-bit', () => ctStack(4096, 4, 2), 60);
}
