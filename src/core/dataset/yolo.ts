/**
 * YOLO (Ultralytics) labels: one text line per instance, `class cx cy w h` normalised to the image size, or
 * with `segments` a polygon `class x1 y1 x2 y2 …` (boxes as their four corners, polygons as drawn, masks as
 * the outer outline of each connected part traced along pixel edges; holes are not represented).
 * @module
 */
import type { Annotation, Point } from '../annotation/types.js';
import { annotationToMask } from '../formats/rasterize.js';
import type { LabelSchema } from '../schema/types.js';

export interface YoloLineOptions {
  /** Write segmentation polygons instead of boxes. Default false. */
  segments?: boolean;
}

const fmt = (v: number) => {
  const c = v < 0 ? 0 : v > 1 ? 1 : v;
  return String(Math.round(c * 1e6) / 1e6);
};

/**
 * The YOLO label lines of one slice's annotations. Classes are 0-based schema positions; annotations whose
 * label is not in the schema, and empty geometry, are left out.
 */
export function yoloLines(
  annotations: readonly Annotation[],
  schema: LabelSchema,
  width: number,
  height: number,
  options: YoloLineOptions = {},
): string[] {
  const classOf = new Map(schema.labels.map((l, i) => [l.id, i]));
  const lines: string[] = [];
  for (const a of annotations) {
    const cls = classOf.get(a.label);
    if (cls === undefined) continue;
    if (options.segments) {
      for (const poly of outlines(a, width, height))
        lines.push(`${cls} ${poly.map(([x, y]) => `${fmt(x / width)} ${fmt(y / height)}`).join(' ')}`);
      continue;
    }
    const b = bounds(a, width, height);
    if (!b) continue;
    const [x0, y0, x1, y1] = b;
    lines.push(
      `${cls} ${fmt((x0 + x1) / 2 / width)} ${fmt((y0 + y1) / 2 / height)} ${fmt((x1 - x0) / width)} ${fmt((y1 - y0) / height)}`,
    );
  }
  return lines;
}

/** The [x0, y0, x1, y1] extent of an annotation clipped to the image, or undefined when empty. */
function bounds(a: Annotation, W: number, H: number): [number, number, number, number] | undefined {
  let x0: number;
  let y0: number;
  let x1: number;
  let y1: number;
  if (a.kind === 'box' && a.box) {
    [x0, y0, x1, y1] = [a.box.x, a.box.y, a.box.x + a.box.width, a.box.y + a.box.height];
  } else if (a.kind === 'polygon' && a.points && a.points.length >= 3) {
    x0 = Math.min(...a.points.map((p) => p[0]));
    y0 = Math.min(...a.points.map((p) => p[1]));
    x1 = Math.max(...a.points.map((p) => p[0]));
    y1 = Math.max(...a.points.map((p) => p[1]));
  } else if (a.kind === 'mask' && a.mask && a.mask.bbox[2] > 0 && a.mask.bbox[3] > 0) {
    const [x, y, w, h] = a.mask.bbox;
    [x0, y0, x1, y1] = [x, y, x + w, y + h];
  } else return undefined;
  x0 = Math.max(0, x0);
  y0 = Math.max(0, y0);
  x1 = Math.min(W, x1);
  y1 = Math.min(H, y1);
  return x1 > x0 && y1 > y0 ? [x0, y0, x1, y1] : undefined;
}

/** The polygons of an annotation for a segmentation line. */
function outlines(a: Annotation, W: number, H: number): Point[][] {
  if (a.kind === 'box') {
    const b = bounds(a, W, H);
    if (!b) return [];
    const [x0, y0, x1, y1] = b;
    return [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ],
    ];
  }
  if (a.kind === 'polygon')
    return a.points && a.points.length >= 3 ? [a.points.map((p) => [p[0], p[1]])] : [];
  const mask = annotationToMask(a, W, H);
  return mask ? maskOutlines(mask, W, H) : [];
}

/**
 * The outer outline of every 8-connected part of a row-major mask, as polygons through pixel corners
 * (clockwise on screen, the part on the right), largest parts first. Holes are not traced.
 */
export function maskOutlines(mask: Uint8Array, width: number, height: number): Point[][] {
  const label = new Int32Array(width * height);
  const parts: { poly: Point[]; size: number }[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    const id = ++next;
    let size = 0;
    label[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      size++;
      const px = p % width;
      const py = (p - px) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const y = py + dy;
        if (y < 0 || y >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx;
          if (x < 0 || x >= width) continue;
          const q = y * width + x;
          if (mask[q] && !label[q]) {
            label[q] = id;
            stack.push(q);
          }
        }
      }
    }
    parts.push({
      poly: traceOutline(label, id, width, height, start % width, Math.floor(start / width)),
      size,
    });
  }
  return parts.sort((a, b) => b.size - a.size).map((p) => p.poly);
}

/** Follows the pixel edges around the part `id` from the top-left corner of its first pixel (raster order). */
function traceOutline(label: Int32Array, id: number, W: number, H: number, sx: number, sy: number): Point[] {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < W && y < H && label[y * W + x] === id;
  const poly: Point[] = [[sx, sy]];
  let x = sx;
  let y = sy;
  let dx = 1;
  let dy = 0;
  const limit = 4 * (W + 1) * (H + 1);
  for (let steps = 0; steps < limit; steps++) {
    x += dx;
    y += dy;
    if (x === sx && y === sy) break;
    // The part stays on the right: the pixels ahead-left and ahead-right of the corner decide the turn.
    const rx = -dy;
    const ry = dx;
    const left = inside(Math.floor(x + 0.5 * dx - 0.5 * rx), Math.floor(y + 0.5 * dy - 0.5 * ry));
    const right = inside(Math.floor(x + 0.5 * dx + 0.5 * rx), Math.floor(y + 0.5 * dy + 0.5 * ry));
    let ndx = dx;
    let ndy = dy;
    if (left) [ndx, ndy] = [dy, -dx];
    else if (!right) [ndx, ndy] = [-dy, dx];
    if (ndx !== dx || ndy !== dy) poly.push([x, y]);
    dx = ndx;
    dy = ndy;
  }
  return poly;
}

/** Ultralytics `data.yaml`: the image folder of each split and the class names (the root is the file's folder). */
export function yoloDataYaml(
  schema: LabelSchema,
  splits: { train: boolean; val: boolean; test: boolean },
): string {
  const lines = [
    '# Ultralytics YOLO dataset written by voxmark. No `path`: the folder of this file is the root (give',
    '# `yolo` this file by its absolute path, as older Ultralytics put relative roots under datasets_dir).',
    'train: images/train',
    'val: images/val',
  ];
  if (splits.test) lines.push('test: images/test');
  lines.push(`nc: ${schema.labels.length}`, 'names:');
  schema.labels.forEach((l, i) => lines.push(`  ${i}: ${JSON.stringify(l.name)}`));
  return `${lines.join('\n')}\n`;
}
