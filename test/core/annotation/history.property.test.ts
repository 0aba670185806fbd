import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { createAnnotationDocument, maskOf } from '../../../src/core/annotation/document.js';
import { paintStroke } from '../../../src/core/mask/paint.js';
import { paintSphere } from '../../../src/core/mask/paint-3d.js';
import { SparseMask } from '../../../src/core/mask/sparse-mask.js';
import { naiveCapsule } from '../mask/reference.js';

const W = 90;
const H = 70;

type Op =
  | { t: 'addBox'; x: number; y: number; s: number }
  | { t: 'addMask'; x: number; y: number; d: number; slice: number }
  | { t: 'paint'; i: number; x0: number; y0: number; x1: number; y1: number; d: number; erase: boolean }
  | { t: 'volume'; i: number; x: number; y: number; z: number; d: number; erase: boolean }
  | { t: 'move'; i: number; dx: number }
  | { t: 'remove'; i: number }
  | { t: 'undo' }
  | { t: 'redo' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('addBox' as const),
    x: fc.integer({ min: 0, max: 80 }),
    y: fc.integer({ min: 0, max: 60 }),
    s: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    t: fc.constant('addMask' as const),
    x: fc.integer({ min: 0, max: W }),
    y: fc.integer({ min: 0, max: H }),
    d: fc.integer({ min: 1, max: 30 }),
    slice: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    t: fc.constant('paint' as const),
    i: fc.nat(),
    x0: fc.double({ min: -5, max: W + 5, noNaN: true }),
    y0: fc.double({ min: -5, max: H + 5, noNaN: true }),
    x1: fc.double({ min: -5, max: W + 5, noNaN: true }),
    y1: fc.double({ min: -5, max: H + 5, noNaN: true }),
    d: fc.integer({ min: 1, max: 25 }),
    erase: fc.boolean(),
  }),
  fc.record({
    t: fc.constant('volume' as const),
    i: fc.nat(),
    x: fc.integer({ min: -3, max: W + 3 }),
    y: fc.integer({ min: -3, max: H + 3 }),
    z: fc.integer({ min: 0, max: 2 }),
    d: fc.integer({ min: 1, max: 12 }),
    erase: fc.boolean(),
  }),
  fc.record({ t: fc.constant('move' as const), i: fc.nat(), dx: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ t: fc.constant('remove' as const), i: fc.nat() }),
  fc.constant({ t: 'undo' as const }),
  fc.constant({ t: 'redo' as const }),
);

/** A full, comparable picture of the document: annotations with masks as dense arrays. */
function picture(doc: ReturnType<typeof createAnnotationDocument>): string {
  return JSON.stringify(
    doc.annotations.map((a) => ({
      ...a,
      mask:
        a.kind === 'mask'
          ? Array.from(maskOf(a)!.toFull()).join('')
          : a.kind === 'volume'
            ? Array.from(doc.getVolume(a.id)!.data).join('')
            : undefined,
    })),
  );
}

describe('AnnotationDocument history (property)', () => {
  it('after any sequence of edits, undoing everything restores every earlier state and redo replays them', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        let n = 0;
        const doc = createAnnotationDocument({
          width: W,
          height: H,
          depth: 3,
          createId: () => `a${++n}`,
          now: () => new Date(0),
        });
        const states: string[] = [picture(doc)];
        for (const o of ops) {
          const list = doc.annotations;
          const pick = (i: number) => (list.length ? list[i % list.length] : undefined);
          switch (o.t) {
            case 'addBox':
              doc.add({ label: 'b', kind: 'box', slice: o.s, box: { x: o.x, y: o.y, width: 5, height: 4 } });
              break;
            case 'addMask': {
              const m = doc.createMask();
              paintStroke(m, o.x, o.y, o.x, o.y, o.d);
              if (m.changedRect) doc.add({ label: 'm', kind: 'mask', slice: o.slice, mask: m });
              else continue;
              break;
            }
            case 'paint': {
              const a = list.filter((x) => x.kind === 'mask')[
                o.i % Math.max(1, list.filter((x) => x.kind === 'mask').length)
              ];
              if (!a) continue;
              const draft = maskOf(a)!.clone();
              paintStroke(draft, o.x0, o.y0, o.x1, o.y1, o.d, { value: o.erase ? 0 : 1 });
              if (!draft.changedRect) continue;
              doc.update(a.id, { mask: draft });
              break;
            }
            case 'volume': {
              // A ball painted (or erased) into an existing volume, or into a new one, as one step.
              const volumes = list.filter((x) => x.kind === 'volume');
              const a = o.i % 3 === 0 ? undefined : volumes[o.i % Math.max(1, volumes.length)];
              const edit = doc.editVolume(a ? a.id : { label: 'v' });
              paintSphere(edit, [o.x, o.y, o.z], o.d, [1, 1, 2], { value: o.erase ? 0 : 1 });
              if (!edit.commit()) continue;
              break;
            }
            case 'move': {
              const a = pick(o.i);
              if (!a?.box || !o.dx) continue;
              doc.update(a.id, { box: { ...a.box, x: a.box.x + o.dx } });
              break;
            }
            case 'remove': {
              const a = pick(o.i);
              if (!a) continue;
              doc.remove(a.id);
              break;
            }
            case 'undo':
              if (!doc.undo()) continue;
              states.pop();
              continue;
            case 'redo':
              continue; // redo is checked below, after a clean run of undos
          }
          states.push(picture(doc));
        }
        // Undo to the start, checking each state; then redo to the end.
        const back: string[] = [];
        for (let i = states.length - 1; i > 0; i--) {
          expect(picture(doc)).to.equal(states[i]);
          back.push(states[i]!);
          expect(doc.undo()).to.equal(true);
        }
        expect(picture(doc)).to.equal(states[0]);
        for (let i = 1; i < states.length; i++) {
          expect(doc.redo()).to.equal(true);
          expect(picture(doc)).to.equal(states[i]);
        }
      }),
      { numRuns: 60, seed: 4242 },
    );
  });

  it('a sparse mask always equals a dense reference under random strokes and erases', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -3, max: 70, noNaN: true }),
            fc.double({ min: -3, max: 70, noNaN: true }),
            fc.double({ min: -3, max: 70, noNaN: true }),
            fc.double({ min: -3, max: 70, noNaN: true }),
            fc.integer({ min: 1, max: 20 }),
            fc.boolean(),
          ),
          { maxLength: 15 },
        ),
        (strokes) => {
          const w = 67;
          const h = 65; // odd sizes, more than one tile
          const dense = new Uint8Array(w * h);
          let m = new SparseMask(w, h);
          for (const [x0, y0, x1, y1, d, erase] of strokes) {
            m = m.freeze().clone();
            paintStroke(m, x0, y0, x1, y1, d, { value: erase ? 0 : 1 });
            naiveCapsule(w, h, x0, y0, x1, y1, d, dense, erase ? 0 : 1);
          }
          expect(m.toFull()).to.deep.equal(dense);
          const area = dense.reduce((s, v) => s + v, 0);
          expect(m.freeze().area()).to.equal(area);
        },
      ),
      { numRuns: 80, seed: 7 },
    );
  });
});
