import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { greyOf } from '../../src/core/image/voi.js';
import { corpusIndex, expectedFrame, type CorpusEntry } from '../helpers/corpus.js';

/** Real files from the reference corpus, shown end to end: fetch, decode, window, draw. */
const FILES = [
  'dicom/CT_small.dcm',
  'dicom/MR_small.dcm',
  'dicom/MR_small_RLE.dcm',
  'dicom/SC_rgb_rle.dcm',
  'tiff/float32.tif',
  'tiff/mr_zstack_int16.tif',
  'tiff/gray16.tif',
];

function canvasPixel(el: VxViewer, cx: number, cy: number): number[] {
  const canvas = el.imageLayer.getNativeCanvasElement();
  const r = canvas.getBoundingClientRect();
  const ratio = canvas.width / r.width;
  const d = canvas
    .getContext('2d')!
    .getImageData(Math.floor((cx - r.left) * ratio), Math.floor((cy - r.top) * ratio), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!, d[3]!];
}

describe('vx-viewer on corpus files', function () {
  let entries: CorpusEntry[] = [];
  before(async function () {
    try {
      entries = await corpusIndex();
    } catch {
      this.skip();
    }
  });

  for (const file of FILES) {
    it(`draws ${file} with the window formula applied to the reference pixels`, async () => {
      const entry = entries.find((e) => e.file === file)!;
      expect(entry, file).to.not.equal(undefined);
      const expected = await expectedFrame(entry, 0);
      expect(expected).to.not.equal(undefined);
      const el = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`);
      const loaded = oneEvent(el, 'vx-load');
      el.src = `/corpus/${file}`;
      await loaded;
      const { columns: w, rows: h, samplesPerPixel: spp } = entry as Required<CorpusEntry>;
      // 1:1 with pixel edges on whole screen pixels, looking at a region away from the centre.
      el.setView({ zoom: 1, centerX: Math.floor(w / 3), centerY: Math.floor(h / 3) });
      el.windowCenter = 0;
      el.windowWidth = 1;
      const values = Array.from(expected as ArrayLike<number>);
      const slope = entry.rescaleSlope ?? 1;
      const intercept = entry.rescaleIntercept ?? 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < values.length; i += spp) {
        lo = Math.min(lo, values[i]! * slope + intercept);
        hi = Math.max(hi, values[i]! * slope + intercept);
      }
      const center = (lo + hi) / 2;
      const width = Math.max(1, (hi - lo) / 1.5);
      el.windowCenter = center;
      el.windowWidth = width;
      await el.renderComplete;
      const p = {
        center,
        width,
        fn: el.voiFunction,
        invert: el.invert !== (entry.photometric === 'MONOCHROME1'),
        slope,
        intercept,
      };
      let checked = 0;
      for (let k = 0; k < 40; k++) {
        const x = Math.floor((((k * 37) % 97) / 97) * Math.min(w, 180)) + Math.max(0, Math.floor(w / 3) - 90);
        const y = Math.floor((((k * 53) % 89) / 89) * Math.min(h, 180)) + Math.max(0, Math.floor(h / 3) - 90);
        if (x >= w || y >= h) continue;
        const [cx, cy] = el.imageToClient(x + 0.5, y + 0.5);
        const r = el.getBoundingClientRect();
        if (cx < r.left || cy < r.top || cx >= r.right || cy >= r.bottom) continue;
        const i = (y * w + x) * spp;
        const want =
          spp >= 3
            ? [values[i], values[i + 1], values[i + 2], 255]
            : [greyOf(values[i]!, p), greyOf(values[i]!, p), greyOf(values[i]!, p), 255];
        expect(canvasPixel(el, cx, cy), `${file} pixel ${x},${y}`).to.deep.equal(want);
        checked++;
      }
      expect(checked).to.be.greaterThan(20);
    });
  }
});
