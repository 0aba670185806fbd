import { expect } from '@open-wc/testing';
import { loadImageStack, type SkippedInput } from '../../../src/core/load.js';
import { buildDicom } from '../../helpers/dicom-builder.js';
import { voxmarkRejection as rejection } from '../../helpers/rejection.js';

/** What loadImageStack makes of a folder as hospitals hand it over: stray files, DICOMDIRs, several series. */

async function corpus(path: string, name: string): Promise<File> {
  return new File([await (await fetch(`/corpus/${path}`)).arrayBuffer()], name);
}

/** A DICOMDIR-like file: DICOM, but no pixel data. */
function dicomdir(): File {
  const bytes = buildDicom([
    { tag: 0x00041130, vr: 'CS', value: 'FILESET' },
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.1.3.10' },
  ]);
  return new File([new Uint8Array(bytes)], 'DICOMDIR');
}

describe('loadImageStack: stray files do not block a series', () => {
  it('skips a notes.txt and a DICOMDIR among the images, and reports them', async () => {
    const reported: SkippedInput[] = [];
    const notes = new File(['patient was anxious'], 'notes.txt', { type: 'text/plain' });
    const stack = await loadImageStack(
      [notes, await corpus('dicom/CT_small.dcm', 'CT_0001.dcm'), dicomdir()],
      {
        onSkip: (s) => reported.push(s),
      },
    );
    expect(stack.depth).to.equal(1);
    expect(stack.metadata.modality).to.equal('CT');
    const skipped = stack.metadata.skipped as SkippedInput[];
    expect(skipped.map((s) => [s.index, s.name, s.code])).to.deep.equal([
      [0, 'notes.txt', 'not-an-image'],
      [2, 'DICOMDIR', 'no-pixel-data'],
    ]);
    expect(skipped[0]!.reason).to.equal('notes.txt is not a DICOM or TIFF image');
    expect(reported).to.deep.equal(skipped);
  });

  it('bytes without a name keep the technical message', async () => {
    const e = await rejection(loadImageStack(new TextEncoder().encode('hello')));
    expect([e.code, e.message, e.file]).to.deep.equal([
      'not-an-image',
      'Input 1 is neither DICOM nor TIFF',
      undefined,
    ]);
  });

  it('a single file that is not an image is an error in plain words naming it, the detail for developers', async () => {
    const e = await rejection(loadImageStack(new File(['hello'], 'CT_0003.dcm')));
    expect(e.code).to.equal('not-an-image');
    expect(e.message).to.equal('CT_0003.dcm is not a DICOM or TIFF image');
    expect(e.file).to.equal('CT_0003.dcm');
    expect(e.detail).to.equal('Input 1 is neither DICOM nor TIFF');
  });

  it('a damaged DICOM file is named, with the parser text in detail', async () => {
    const e = await rejection(loadImageStack([await corpus('dicom/MR_truncated.dcm', 'MR_0007.dcm')]));
    expect(e.message.startsWith('MR_0007.dcm ')).to.equal(true);
    expect(e.file).to.equal('MR_0007.dcm');
    expect(e.detail).to.be.a('string').and.not.equal('');
    expect(e.message).to.not.contain(e.detail!);
  });

  it('nothing but stray files is still an error naming the first', async () => {
    const e = await rejection(loadImageStack([new File(['a'], 'README'), new File(['b'], 'notes.txt')]));
    expect([e.code, e.message]).to.deep.equal(['not-an-image', 'README is not a DICOM or TIFF image']);
  });
});

describe('loadImageStack: several series', () => {
  it('without `series`, still rejects a mix; with it, loads the chosen one and lists all', async () => {
    const files = [
      await corpus('dicom/CT_small.dcm', 'ct.dcm'),
      await corpus('dicom/MR_small.dcm', 'mr.dcm'),
    ];
    const mixed = await rejection(loadImageStack(files));
    expect(mixed.code).to.equal('mixed-series');
    const largest = await loadImageStack(files, { series: 'largest' });
    const series = largest.metadata.series as { modality: string; instances: number }[];
    expect(series.map((s) => s.modality)).to.have.members(['CT', 'MR']);
    expect(series.map((s) => s.instances)).to.deep.equal(
      [...series.map((s) => s.instances)].sort((a, b) => b - a),
    );
    expect(largest.metadata.seriesIndex).to.equal(0);
    expect(largest.depth).to.equal(series[0]!.instances);
    const last = await loadImageStack(files, { series: series.length - 1 });
    expect(last.metadata.modality).to.equal(series[series.length - 1]!.modality);
    expect(last.metadata.seriesIndex).to.equal(series.length - 1);
    const out = await rejection(loadImageStack(files, { series: 9 }));
    expect(out.code).to.equal('out-of-range');
  });
});

describe('RT Dose', () => {
  it('is scaled by Dose Grid Scaling', async () => {
    const stack = await loadImageStack(await corpus('dicom/rtdose.dcm', 'rtdose.dcm'));
    const frame = await stack.getFrame(0);
    const scaling = stack.metadata.doseGridScaling as number;
    expect(scaling).to.equal(1e-6);
    expect(stack.metadata.doseUnits).to.equal('RELATIVE');
    let max = 0;
    for (const v of frame.data) max = Math.max(max, v * scaling);
    expect(max).to.be.closeTo(1.254, 1e-9); // 1 254 000 stored, per the corpus ground truth
  });
});
