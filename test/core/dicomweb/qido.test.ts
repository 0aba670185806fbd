import { expect } from '@open-wc/testing';
import { searchInstances, searchSeries, searchStudies } from '../../../src/core/dicomweb/index.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import { DICOMWEB, requirePacs, seriesByDescription, type PacsStatus } from './pacs.js';

describe('DICOMweb QIDO-RS against Orthanc', function () {
  let pacs: PacsStatus;
  before(async function () {
    pacs = await requirePacs(this);
  });

  it('lists every study, and pages through them with limit and offset without gaps or repeats', async () => {
    const all = await searchStudies({ url: DICOMWEB });
    expect(all.length).to.equal(4); // the phantom and scratch studies, and two corpus files
    const uids = all.map((s) => s.studyInstanceUID).sort();
    const pages = [
      await searchStudies({ url: DICOMWEB, limit: 2, offset: 0 }),
      await searchStudies({ url: DICOMWEB, limit: 2, offset: 2 }),
    ];
    expect(pages.map((p) => p.length)).to.deep.equal([2, 2]);
    expect(
      pages
        .flat()
        .map((s) => s.studyInstanceUID)
        .sort(),
    ).to.deep.equal(uids);
    expect(await searchStudies({ url: DICOMWEB, limit: 2, offset: 4 })).to.deep.equal([]);
  });

  it('filters studies by patient id, name wildcard, date range, modality and accession number', async () => {
    const phantom = seriesByDescription(pacs, 'uncompressed').studyInstanceUID;
    const uidsOf = async (filters: Parameters<typeof searchStudies>[0]) =>
      (await searchStudies(filters)).map((s) => s.studyInstanceUID);
    expect(await uidsOf({ url: DICOMWEB, patientId: 'PHANTOM-0001' })).to.deep.equal([phantom]);
    expect(await uidsOf({ url: DICOMWEB, patientName: 'Phantom*' })).to.deep.equal([phantom]);
    expect(
      await uidsOf({ url: DICOMWEB, studyDate: { from: '2024-03-01', to: '2024-03-31' } }),
    ).to.deep.equal([phantom]);
    expect(await uidsOf({ url: DICOMWEB, studyDate: { from: '20000101', to: '20101231' } })).to.have.length(
      2,
    );
    expect(await uidsOf({ url: DICOMWEB, accessionNumber: 'VX7' })).to.deep.equal([phantom]);
    const mr = await searchStudies({ url: DICOMWEB, modality: 'MR' });
    expect(mr).to.have.length(1);
    expect(mr[0]!.modalities).to.deep.equal(['MR']);
  });

  it('summarises a study and returns the extra attributes asked for with includefield', async () => {
    const [study] = await searchStudies({ url: DICOMWEB, patientId: 'PHANTOM-0001' });
    expect(study).to.include({
      patientId: 'PHANTOM-0001',
      patientName: 'Phantom^CT',
      studyDate: '20240312',
      accessionNumber: 'VX7',
      numberOfSeries: 2,
      numberOfInstances: 10,
    });
    expect(study!.modalities).to.deep.equal(['CT']);
    // Patient's Weight (0010,1030) of the corpus MR: only when asked for.
    const [plain] = await searchStudies({ url: DICOMWEB, patientId: '4MR1' });
    const [wide] = await searchStudies({ url: DICOMWEB, patientId: '4MR1', includefield: ['00101030'] });
    expect(Object.keys(plain!.json)).not.to.include('00101030');
    expect(wide!.json['00101030']!.Value).to.deep.equal([80]);
  });

  it('lists the series of a study and filters them by modality', async () => {
    const s = seriesByDescription(pacs, 'uncompressed');
    const series = await searchSeries({ url: DICOMWEB, studyInstanceUID: s.studyInstanceUID });
    expect(series.map((x) => x.seriesDescription).sort()).to.deep.equal([
      'Phantom CT (JPEG-LS)',
      'Phantom CT (uncompressed)',
    ]);
    expect(series.every((x) => x.modality === 'CT' && x.numberOfInstances === 5)).to.equal(true);
    expect(
      await searchSeries({ url: DICOMWEB, studyInstanceUID: s.studyInstanceUID, modality: 'MR' }),
    ).to.deep.equal([]);
    const instances = await searchInstances({
      url: DICOMWEB,
      studyInstanceUID: s.studyInstanceUID,
      seriesInstanceUID: s.seriesInstanceUID,
    });
    expect(instances.map((i) => i.instanceNumber).sort()).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it('refuses a malformed date or UID before sending anything', async () => {
    expect((await voxmarkRejection(searchStudies({ url: DICOMWEB, studyDate: 'March' }))).code).to.equal(
      ErrorCode.InvalidArgument,
    );
    expect(
      (await voxmarkRejection(searchSeries({ url: DICOMWEB, studyInstanceUID: '1.2/../../x' }))).code,
    ).to.equal(ErrorCode.InvalidArgument);
  });
});
