/**
 * Annotation benchmarks: redraw with 50/500/2000 polygons on one slice, pointer-move hit-testing with 2000
 * polygons, brush dab and stroke commit at 512² and 4096², tool switching with masks on all 300 slices of a
 * 512×512×300 stack, and the memory a mask on 300 slices takes. Baselines in the same run: bare Konva lines,
 * a naive hit-test loop, a bare canvas arc fill, a dense mask volume.
 */
import Konva from 'konva/lib/Core';
import { Line } from 'konva/lib/shapes/Line';
import { createImageStack } from '../src/core/image/stack.js';
import { type AnnotationDocument, createAnnotationDocument } from '../src/core/annotation/document.js';
import { pointInPolygon } from '../src/core/annotation/geometry.js';
import type { Point } from '../src/core/annotation/types.js';
import { paintDab, paintStroke } from '../src/core/mask/paint.js';
import { SparseMask } from '../src/core/mask/sparse-mask.js';
import '../src/define.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { gc, memory, mib, time, type Report } from './harness.js';

const group = 'annotation';

function polygon(cx: number, cy: number, r: number, n = 12): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2;
    pts.push([cx + r * Math.cos(a) * (0.8 + 0.2 * Math.sin(i * 3)), cy + r * Math.sin(a)]);
  }
  return pts;
}

function polygons(count: number, size: number): Point[][] {
  let seed = 17;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, () => polygon(rnd() * size, rnd() * size, 4 + rnd() * 12));
}

async function viewer(width: number, height: number, depth: number, layers: string): Promise<VxViewer> {
  const frame = new Int16Array(width * height);
  const frames = Array.from({ length: depth }, () => frame);
  const el = document.createElement('vx-viewer') as VxViewer;
  el.style.cssText = 'display:block;width:800px;height:800px';
  el.innerHTML = layers;
  document.body.append(el);
  const loaded = new Promise((r) => el.addEventListener('vx-load', r, { once: true }));
  el.stack = createImageStack({ width, height, frames, dataType: 'int16', spacing: [1, 1, 1] });
  await loaded;
  el.activeLabel = 'organ';
  await el.renderComplete;
  return el;
}

const docOf = (el: VxViewer) => el.document as unknown as AnnotationDocument;

async function redraw(report: Report): Promise<void> {
  for (const n of [50, 500, 2000]) {
    const el = await viewer(512, 512, 1, '<vx-polygon-layer></vx-polygon-layer>');
    const polys = polygons(n, 512);
    docOf(el).add(
      polys.map((points) => ({ label: 'organ', kind: 'polygon' as const, slice: 0, points })),
      { origin: 'silent' },
    );
    const layer = el.annotationRenderer!.layers.shapes;
    layer.draw();
    const t = await time(() => layer.draw(), { iterations: 30, warmup: 3 });
    // Baseline: the same polygons as bare Konva lines in a bare layer of the same stage.
    const bare = new Konva.Layer({ listening: false });
    el.stage.add(bare);
    bare.scale(layer.scale());
    bare.position(layer.position());
    for (const points of polys)
      bare.add(
        new Line({
          points: points.flat(),
          closed: true,
          stroke: '#ff0000',
          fill: 'rgba(255,0,0,0.12)',
          strokeWidth: 1.5,
          strokeScaleEnabled: false,
          listening: false,
          perfectDrawEnabled: false,
        }),
      );
    bare.draw();
    const b = await time(() => bare.draw(), { iterations: 30, warmup: 3 });
    report({
      group,
      name: `redraw ${n} polygons on one slice`,
      value: t.median,
      unit: 'ms',
      baseline: b.median,
      note: `p95 ${t.p95.toFixed(2)} ms; target ${n >= 2000 ? '≤ 25' : n >= 500 ? '≤ 8' : '-'} ms`,
    });
    if (n === 2000) {
      // A keyed update: one polygon changes, the layer redraws.
      const first = docOf(el).annotations[0]!;
      let k = 0;
      const u = await time(
        () => {
          docOf(el).update(first.id, { points: polygon(100 + (k++ % 5), 100, 10) });
          el.annotationRenderer!.flushMasks();
          layer.draw();
        },
        { iterations: 30, warmup: 3 },
      );
      report({
        group,
        name: 'edit one of 2000 polygons + redraw',
        value: u.median,
        unit: 'ms',
        baseline: b.median,
      });
      // Hit test on pointer move (select tool hover) with 2000 polygons.
      const tool = el.editor.tools.select;
      let seed = 5;
      const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 512;
      const moves = Array.from({ length: 1000 }, () => [rnd(), rnd()] as const);
      const h = await time(
        () => {
          for (const [x, y] of moves) tool.onPointerMove({ x, y });
        },
        { iterations: 10 },
      );
      const naive = await time(
        () => {
          for (const [x, y] of moves)
            for (let i = polys.length - 1; i >= 0; i--) if (pointInPolygon(polys[i]!, x, y)) break;
        },
        { iterations: 10 },
      );
      report({
        group,
        name: 'pointer-move hit-test, 2000 polygons',
        value: (h.median / moves.length) * 1000,
        unit: 'µs',
        baseline: (naive.median / moves.length) * 1000,
        note: 'per move; baseline: point-in-polygon over every shape',
      });
    }
    bare.destroy();
    el.remove();
  }
}

async function brush(report: Report): Promise<void> {
  for (const size of [512, 4096]) {
    // Core: one dab (diameter 20) into a draft mask.
    const m = new SparseMask(size, size);
    let seed = 3;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * (size - 40) + 20;
    const pts = Array.from({ length: 200 }, () => [rnd(), rnd()] as const);
    const dab = await time(
      () => {
        for (const [x, y] of pts) paintDab(m, x, y, 20);
      },
      { iterations: 10 },
    );
    const canvas = document.createElement('canvas');
    canvas.width = Math.min(size, 4096);
    canvas.height = Math.min(size, 4096);
    const ctx = canvas.getContext('2d')!;
    const bare = await time(
      () => {
        for (const [x, y] of pts) {
          ctx.beginPath();
          ctx.arc(x, y, 10, 0, Math.PI * 2);
          ctx.fill();
        }
        ctx.getImageData(0, 0, 1, 1);
      },
      { iterations: 10 },
    );
    report({
      group,
      name: `brush dab (d=20) at ${size}²`,
      value: (dab.median / pts.length) * 1000,
      unit: 'µs',
      baseline: (bare.median / pts.length) * 1000,
      note: 'target ≤ 300 µs; baseline: canvas arc fill',
    });

    // Through the element: a pointer move of the brush (stroke segment + overlay recomposed by dirty rect).
    const el = await viewer(size, size, 1, '<vx-mask-layer brush-size="20"></vx-mask-layer>');
    el.tool = 'brush';
    const tool = el.editor.tools.brush;
    const segs = Array.from(
      { length: 50 },
      (_, i) => [size / 4 + i * (size / 200), size / 2 + 20 * Math.sin(i)] as const,
    );
    const move = await time(
      () => {
        for (const [x, y] of segs) {
          tool.onPointerMove({ x, y });
          el.annotationRenderer!.flushMasks();
        }
      },
      {
        iterations: 10,
        setup: () => {
          tool.cancel();
          el.editor.selection.clear(); // a new mask instance every time
          tool.onPointerDown({ x: segs[0]![0], y: segs[0]![1], button: 0 });
        },
      },
    );
    report({
      group,
      name: `brush move (segment + overlay) at ${size}²`,
      value: (move.median / segs.length) * 1000,
      unit: 'µs',
      note: 'per pointer move, element path',
    });
    const commit = await time(() => tool.complete(), {
      iterations: 10,
      setup: () => {
        tool.cancel();
        el.editor.selection.clear();
        tool.onPointerDown({ x: segs[0]![0], y: segs[0]![1], button: 0 });
        for (const [x, y] of segs) tool.onPointerMove({ x, y });
      },
    });
    report({
      group,
      name: `stroke commit (50 samples) at ${size}²`,
      value: commit.median * 1000,
      unit: 'µs',
      note: 'freeze + document update + change set + overlay',
    });
    el.remove();
  }
}

async function volume(report: Report): Promise<void> {
  const W = 512;
  const D = 300;
  const make = (depth: number) => {
    const doc = createAnnotationDocument({ width: W, height: W, depth });
    for (let z = 0; z < depth; z++) {
      const m = doc.createMask();
      for (let k = 0; k < 5; k++) paintStroke(m, 150 + k * 40, 200, 200 + k * 30, 320, 60);
      doc.add({ label: 'organ', kind: 'mask', slice: z, mask: m }, { origin: 'silent' });
    }
    return doc;
  };
  gc();
  const before = await memory();
  const doc = make(D);
  const after = await memory();
  let tiles = 0;
  let pixels = 0;
  for (const a of doc.annotations) {
    tiles += doc.getSparseMask(a.id)!.tileCount;
    pixels += doc.getSparseMask(a.id)!.area();
  }
  report({
    group,
    name: `mask on ${D} slices of ${W}²: tile storage`,
    value: mib(tiles * 4096),
    unit: 'MiB',
    baseline: mib(W * W * D),
    note: `${tiles} tiles for ${pixels} painted pixels; baseline: dense 1 byte/voxel`,
  });
  if (before.source !== 'none')
    report({
      group,
      name: `mask on ${D} slices of ${W}²: measured`,
      value: mib(after.bytes - before.bytes),
      unit: 'MiB',
      note: before.source,
    });

  for (const depth of [1, D]) {
    const el = await viewer(
      W,
      W,
      depth,
      '<vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer><vx-mask-layer></vx-mask-layer>',
    );
    el.document = depth === D ? (doc as never) : (make(1) as never);
    el.slice = Math.floor(depth / 2);
    await el.renderComplete;
    const tools = ['brush', 'eraser', 'box', 'polygon', 'select'];
    let i = 0;
    const t = await time(
      () => {
        el.tool = tools[i++ % tools.length]!;
        el.flushDraw();
      },
      { iterations: 50, warmup: 5 },
    );
    report({
      group,
      name: `tool switch with masks on ${depth} slice(s)`,
      value: t.median * 1000,
      unit: 'µs',
      note: `p95 ${(t.p95 * 1000).toFixed(0)} µs; target ≤ 16 ms regardless of volume`,
    });
    if (depth > 1) {
      const s = await time(
        () => {
          el.slice = (el.slice + 1) % depth;
          el.annotationRenderer!.flushMasks();
        },
        { iterations: 30, warmup: 2 },
      );
      report({
        group,
        name: `slice change, masks on ${depth} slice(s) (annotation side)`,
        value: s.median,
        unit: 'ms',
      });
    }
    const hide = await time(
      () => {
        const v = el.editor.visibility;
        v.setLabelHidden('organ', !v.isLabelHidden('organ'));
        el.annotationRenderer!.flushMasks();
      },
      { iterations: 20, warmup: 2 },
    );
    report({ group, name: `hide/show a label, masks on ${depth} slice(s)`, value: hide.median, unit: 'ms' });
    el.remove();
  }
}

export default async function run(report: Report): Promise<void> {
  await redraw(report);
  await brush(report);
  await volume(report);
}
