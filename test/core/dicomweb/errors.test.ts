import { expect } from '@open-wc/testing';
import { loadDicomWeb, searchStudies, type DicomWebImageStack } from '../../../src/core/dicomweb/index.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import { DICOMWEB, faultUrl, requirePacs, seriesByDescription, type PacsSeries } from './pacs.js';

/** A stack whose metadata comes straight from Orthanc and whose frame requests go through `fault`. */
function stackWithFaultyFrames(series: PacsSeries, fault: string, extra = {}): Promise<DicomWebImageStack> {
  return loadDicomWeb({
    url: DICOMWEB,
    studyInstanceUID: series.studyInstanceUID,
    seriesInstanceUID: series.seriesInstanceUID,
    prefetch: false,
    retries: 0,
    fetch: (input, init) => {
      const url = String(input);
      return fetch(url.includes('/frames/') ? url.replace(DICOMWEB, faultUrl(fault)) : url, init);
    },
    ...extra,
  });
}

describe('DICOMweb failures against Orthanc', function () {
  let series: PacsSeries;
  before(async function () {
    series = seriesByDescription(await requirePacs(this), 'JPEG-LS');
  });

  const ref = () => ({
    studyInstanceUID: series.studyInstanceUID,
    seriesInstanceUID: series.seriesInstanceUID,
  });

  it('401 and 403 reject with unauthorized', async () => {
    for (const status of ['401', '403']) {
      const e = await voxmarkRejection(loadDicomWeb({ url: faultUrl(status), ...ref() }));
      expect(e.code).to.equal(ErrorCode.Unauthorized);
      expect(e.details).to.deep.equal({ status: Number(status) });
    }
    expect((await voxmarkRejection(searchStudies({ url: faultUrl('401') }))).code).to.equal(
      ErrorCode.Unauthorized,
    );
  });

  it('a series the archive does not hold rejects with not-found', async () => {
    const e = await voxmarkRejection(
      loadDicomWeb({
        url: DICOMWEB,
        studyInstanceUID: series.studyInstanceUID,
        seriesInstanceUID: '1.2.3.4',
      }),
    );
    expect(e.code).to.equal(ErrorCode.NotFound);
  });

  it('500 is retried a bounded number of times, then rejects with fetch-failed', async () => {
    const calls: string[] = [];
    const e = await voxmarkRejection(
      searchStudies({
        url: faultUrl('500'),
        retries: 1,
        fetch: (input, init) => {
          calls.push(String(input));
          return fetch(input, init);
        },
      }),
    );
    expect(e.code).to.equal(ErrorCode.FetchFailed);
    expect(calls).to.have.length(2);
  });

  it('a truncated multipart frame rejects with corrupt; the other frames still load', async () => {
    const stack = await stackWithFaultyFrames(series, 'truncate');
    expect((await voxmarkRejection(stack.getFrame(1))).code).to.equal(ErrorCode.Corrupt);
    const good = await loadDicomWeb({ url: DICOMWEB, ...ref(), prefetch: false });
    expect((await good.getFrame(1)).data.length).to.equal(good.width * good.height);
  });

  it('a connection dropped half-way through a frame rejects with corrupt', async () => {
    const stack = await stackWithFaultyFrames(series, 'drop');
    expect((await voxmarkRejection(stack.getFrame(0))).code).to.equal(ErrorCode.Corrupt);
  });

  it('truncated metadata rejects with corrupt', async () => {
    const e = await voxmarkRejection(loadDicomWeb({ url: faultUrl('truncate'), ...ref() }));
    expect(e.code).to.equal(ErrorCode.Corrupt);
  });

  it('a server that answers a frame in a media type not asked for rejects with not-acceptable', async () => {
    const stack = await stackWithFaultyFrames(series, 'ignore-accept', { retrieve: 'frames' });
    // Not-acceptable frames fall back to the whole instance, which this fault serves normally.
    const frame = await stack.getFrame(0);
    expect(frame.data.length).to.equal(stack.width * stack.height);
    expect(stack.stats.mode).to.equal('instance');
  });

  it('a stalled answer rejects with timeout, and an abort with aborted, without hanging', async () => {
    // The timeout covers the metadata requests too, which a loaded machine may answer slowly: leave them room.
    const stalled = await stackWithFaultyFrames(series, 'stall', { timeoutMs: 2500 });
    expect((await voxmarkRejection(stalled.getFrame(0))).code).to.equal(ErrorCode.Timeout);
    const waiting = await stackWithFaultyFrames(series, 'stall');
    const controller = new AbortController();
    const pending = waiting.getFrame(2, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await voxmarkRejection(pending)).code).to.equal(ErrorCode.Aborted);
    waiting.dispose();
  });
});
