import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import {
  findSegmentations,
  loadDicomWeb,
  retrieveInstance,
  searchSeries,
  storeInstances,
} from '../../../src/core/dicomweb/index.js';
import { fromDicomSeg, toDicomSeg } from '../../../src/core/formats/seg.js';
import { blobMask } from '../formats/helpers.js';
import { hierarchical } from '../schema/fixtures.js';
import { DICOMWEB, requirePacs, seriesByDescription, type PacsSeries } from './pacs.js';

function masksOf(doc: AnnotationDocument): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of doc.annotations) out.set(`${a.label}@${a.slice}`, Array.from(doc.getMask(a.id)!.data));
  return out;
}

describe('DICOMweb STOW-RS against Orthanc', function () {
  // The scratch study: what is stored there leaves the study the other tests read unchanged.
  let series: PacsSeries;
  before(async function () {
    series = seriesByDescription(await requirePacs(this), 'Scratch');
  });

  it('stores a DICOM SEG made on a DICOMweb stack, and reads it back through WADO-RS matching the document', async () => {
    const stack = await loadDicomWeb({
      url: DICOMWEB,
      studyInstanceUID: series.studyInstanceUID,
      seriesInstanceUID: series.seriesInstanceUID,
      prefetch: false,
    });
    const doc = new AnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });
    doc.add({
      label: 'tumour',
      kind: 'mask',
      slice: 0,
      mask: { data: blobMask(stack.width, stack.height, 4, 6, 20, 14) },
    });
    const seg = await toDicomSeg(doc, stack, hierarchical, { seriesDescription: 'voxmark test SEG' });

    const result = await storeInstances(DICOMWEB, [seg], { studyInstanceUID: series.studyInstanceUID });
    expect(result.status).to.equal('stored');
    expect(result.httpStatus).to.equal(200);
    expect(result.failed).to.deep.equal([]);
    expect(result.stored).to.have.length(1);
    const stored = result.stored[0]!;
    expect(stored.sopClassUID).to.equal('1.2.840.10008.5.1.4.1.1.66.4');

    const segSeries = await searchSeries({
      url: DICOMWEB,
      studyInstanceUID: series.studyInstanceUID,
      modality: 'SEG',
    });
    const mine = segSeries.find((s) => s.seriesDescription === 'voxmark test SEG');
    expect(mine, 'the stored SEG series is listed').to.not.equal(undefined);
    // What a viewer lists for its series: this SEG, found through its reference to the source series.
    const listed = await findSegmentations({
      url: DICOMWEB,
      studyInstanceUID: series.studyInstanceUID,
      seriesInstanceUID: series.seriesInstanceUID,
    });
    expect(listed.map((s) => s.sopInstanceUID)).to.include(stored.sopInstanceUID);
    expect(
      await findSegmentations({
        url: DICOMWEB,
        studyInstanceUID: series.studyInstanceUID,
        seriesInstanceUID: '1.2.3.4.5',
      }),
    ).to.deep.equal([]);

    const bytes = await retrieveInstance({
      url: DICOMWEB,
      studyInstanceUID: series.studyInstanceUID,
      seriesInstanceUID: mine!.seriesInstanceUID,
      sopInstanceUID: stored.sopInstanceUID!,
    });
    const back = await fromDicomSeg(bytes, { stack, schema: hierarchical });
    expect(back.report).to.deep.equal({ unmappedSegments: [], unmappedFrames: [], imported: 1 });
    expect(masksOf(back.document!)).to.deep.equal(masksOf(doc));
  });

  it('reports an instance the archive refuses as failed, with its reason', async () => {
    const notDicom = new TextEncoder().encode('this is not a DICOM file');
    const result = await storeInstances(DICOMWEB, [notDicom]);
    expect(result.status).to.equal('failed');
    expect(result.failed.length).to.be.greaterThan(0);
    expect(result.failed[0]!.reasonText).to.be.a('string').and.not.equal('');
  });
});
