import { expect } from '@open-wc/testing';
import { createImageStack } from '../../../src/core/image/stack.js';
import { reformatStack } from '../../../src/core/image/reformat.js';
import type { Frame } from '../../../src/core/image/types.js';
import { describeError, fmt, overlayText, type OverlayInput } from '../../../src/elements/viewer/overlay.js';
import { ErrorCode, VoxmarkError } from '../../../src/core/errors.js';

const frame: Frame = {
  width: 4,
  height: 2,
  samplesPerPixel: 1,
  data: new Int16Array([0, 10, 20, 30, 40, 50, 60, 70]),
  rescaleSlope: 2,
  rescaleIntercept: -1000,
};
const stack = createImageStack({
  width: 4,
  height: 2,
  frames: [frame.data as Int16Array, frame.data as Int16Array],
  dataType: 'int16',
  spacing: [0.5, 0.5, 1],
  metadata: { modality: 'CT', seriesDescription: 'Chest' },
  format: 'dicom',
});

const input = (o: Partial<OverlayInput> = {}): OverlayInput => ({
  stack,
  slice: 1,
  playing: false,
  cineFps: 15,
  windowCenter: 40,
  windowWidth: 400,
  invert: false,
  zoom: 2,
  windowPresets: [{ name: 'Soft tissue', center: 40, width: 400 }],
  frame,
  displayedSlice: 1,
  ...o,
});

describe('viewer overlay text', () => {
  it('shows modality and series, slice n/N, the window with its preset name, and the zoom', () => {
    const t = overlayText(input(), undefined);
    expect(t.tl).to.equal('CT  Chest');
    expect(t.tr).to.equal('2/2');
    expect(t.bl).to.equal('C 40  W 400  Soft tissue\nZoom 2.00×');
    expect(t.br).to.equal('');
  });

  it('shows cine and inversion', () => {
    const t = overlayText(input({ playing: true, invert: true, windowCenter: 50 }), undefined);
    expect(t.tr).to.equal('2/2  ▶ 15 fps');
    expect(t.bl).to.equal('C 50  W 400  inv\nZoom 2.00×');
  });

  it('shows the HU under the cursor and its position in px and mm, only for the slice on screen', () => {
    expect(overlayText(input(), [2.5, 1.2]).br).to.equal('-880 HU\n2, 1 px\n1.3, 0.600 mm');
    expect(overlayText(input({ displayedSlice: 0 }), [2.5, 1.2]).br).to.equal('');
    expect(overlayText(input(), [4.5, 1]).br).to.equal('');
  });

  it('is empty without a stack', () => {
    expect(overlayText(input({ stack: undefined }), [1, 1])).to.deep.equal({
      tl: '',
      tr: '',
      bl: '',
      br: '',
      edges: null,
    });
  });

  it('names a reformatted plane and gives its edge letters; counts and positions come from the plane', () => {
    const geo = createImageStack({
      width: 4,
      height: 2,
      frames: [frame.data as Int16Array, frame.data as Int16Array, frame.data as Int16Array],
      dataType: 'int16',
      spacing: [0.5, 0.5, 2],
      metadata: { modality: 'CT', imageOrientationPatient: [1, 0, 0, 0, 1, 0] },
    });
    const coronal = reformatStack(geo, 'coronal');
    const t = overlayText(input({ stack: geo, plane: coronal, slice: 0, displayedSlice: 0 }), undefined);
    expect(t.tr).to.equal('Coronal  1/2');
    expect(t.edges).to.deep.equal({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    const acquisition = reformatStack(geo, 'acquisition');
    const a = overlayText(input({ stack: geo, plane: acquisition, slice: 0, displayedSlice: 0 }), undefined);
    expect(a.tr).to.equal('1/3');
    expect(a.edges).to.deep.equal({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('says what went wrong in plain words, by error code', () => {
    expect(describeError(new VoxmarkError(ErrorCode.Truncated, 'x'))).to.match(/incomplete/);
    expect(describeError(new VoxmarkError(ErrorCode.Aborted, 'x'))).to.equal(
      'The image could not be opened.',
    );
    expect([fmt(3), fmt(1234.5), fmt(1.25), fmt(0.01234)]).to.deep.equal(['3', '1235', '1.3', '0.0123']);
  });
});

describe('viewer overlay text: RT Dose and named files', () => {
  it('shows RT Dose values scaled by Dose Grid Scaling, in Gy when the unit is Gy', () => {
    const dose = (units: string) =>
      createImageStack({
        width: 4,
        height: 2,
        frames: [new Int16Array([0, 1000, 2000, 3000, 0, 0, 0, 0])],
        dataType: 'int16',
        spacing: [1, 1, 1],
        metadata: { modality: 'RTDOSE', doseGridScaling: 0.001, doseUnits: units },
        format: 'dicom',
      });
    const f: Frame = {
      ...frame,
      data: new Int16Array([0, 1000, 2000, 3000, 0, 0, 0, 0]),
      rescaleSlope: 1,
      rescaleIntercept: 0,
    };
    const gy = overlayText(input({ stack: dose('GY'), frame: f, slice: 0, displayedSlice: 0 }), [2.5, 0.5]);
    expect(gy.br.split('\n')[0]).to.equal('Dose 2 Gy');
    const rel = overlayText(
      input({ stack: dose('RELATIVE'), frame: f, slice: 0, displayedSlice: 0 }),
      [3.5, 0.5],
    );
    expect(rel.br.split('\n')[0]).to.equal('Dose 3');
  });

  it('names the file an error is about', () => {
    const e = new VoxmarkError(ErrorCode.NotAnImage, 'x', {
      file: 'CT_0003.dcm',
      detail: 'Input 1 is neither',
    });
    expect(describeError(e)).to.equal('CT_0003.dcm is not a DICOM or TIFF image.');
    expect(describeError(new VoxmarkError(ErrorCode.MixedSeries, 'x'))).to.match(/different series/);
  });
});
