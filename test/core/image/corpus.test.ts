/**
 * Every file in the reference corpus decodes to its ground truth: exact for lossless frames, a small mean
 * absolute difference for lossy ones; files marked expectError reject with a VoxmarkError. The test walks
 * corpus/index.json, so new corpus files are picked up without code changes.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack, VoxmarkError } from '../../../src/core/index.js';
import { corpusBytes, corpusIndex, expectedFrame, type CorpusEntry } from '../../helpers/corpus.js';

const entries = await corpusIndex();

async function loadAllFrames(entry: CorpusEntry) {
  const stack = await loadImageStack(await corpusBytes(entry.file));
  const frames = [];
  for (let i = 0; i < stack.depth; i++) frames.push(await stack.getFrame(i));
  return { stack, frames };
}

function stats(data: ArrayLike<number>) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / data.length };
}

describe('reference corpus', () => {
  for (const entry of entries) {
    if (entry.expectError) {
      it(`${entry.file} is rejected with a VoxmarkError (${entry.note ?? ''})`, async () => {
        let error: unknown;
        try {
          await loadAllFrames(entry);
        } catch (e) {
          error = e;
        }
        expect(error, 'expected a rejection').to.be.instanceOf(VoxmarkError);
        expect((error as VoxmarkError).code).to.be.a('string');
      });
      continue;
    }
    it(`${entry.file} decodes to its ground truth (${entry.note ?? ''})`, async () => {
      const { stack, frames } = await loadAllFrames(entry);
      expect(stack.width, 'columns').to.equal(entry.columns);
      expect(stack.height, 'rows').to.equal(entry.rows);
      expect(stack.depth, 'frames').to.equal(entry.frames);
      expect(stack.samplesPerPixel, 'samplesPerPixel').to.equal(entry.samplesPerPixel);
      expect(stack.dataType, 'dtype').to.equal(entry.dtype);
      for (let k = 0; k < frames.length; k++) {
        const frame = frames[k]!;
        expect(frame.width).to.equal(entry.columns);
        expect(frame.height).to.equal(entry.rows);
        if (entry.rescaleSlope !== undefined) expect(frame.rescaleSlope).to.equal(entry.rescaleSlope);
        if (entry.rescaleIntercept !== undefined)
          expect(frame.rescaleIntercept).to.equal(entry.rescaleIntercept);
        const expected = await expectedFrame(entry, k);
        const s = entry.frameStats?.[k];
        if (expected) {
          expect(frame.data.length, `frame ${k} length`).to.equal(expected.length);
          if (entry.lossy) {
            let diff = 0;
            for (let i = 0; i < expected.length; i++) diff += Math.abs(frame.data[i]! - expected[i]!);
            const mad = diff / expected.length;
            const range = s ? s.max - s.min : 255;
            expect(mad, `frame ${k} mean absolute difference`).to.be.at.most(Math.max(1, range * 0.01));
          } else {
            let firstBad = -1;
            for (let i = 0; i < expected.length; i++) {
              if (
                frame.data[i] !== expected[i] &&
                !(Number.isNaN(frame.data[i]) && Number.isNaN(expected[i]))
              ) {
                firstBad = i;
                break;
              }
            }
            expect(
              firstBad,
              `frame ${k}: first differing sample (${frame.data[firstBad]} vs ${expected[firstBad]})`,
            ).to.equal(-1);
          }
        } else if (s) {
          const got = stats(frame.data);
          expect(got.min, `frame ${k} min`).to.be.closeTo(
            s.min,
            entry.lossy ? Math.abs(s.min) * 0.05 + 2 : 1e-3,
          );
          expect(got.max, `frame ${k} max`).to.be.closeTo(
            s.max,
            entry.lossy ? Math.abs(s.max) * 0.05 + 2 : 1e-3,
          );
          expect(got.mean, `frame ${k} mean`).to.be.closeTo(
            s.mean,
            entry.lossy ? Math.abs(s.mean) * 0.02 + 1 : 1e-2,
          );
        }
      }
    });
  }
});
