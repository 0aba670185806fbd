/**
 * Deflated Part 10 files: the dataset read from them holds group 0002 and the dataset, nothing read out of
 * the preamble or the "DICM" marker, and de-identifying one writes no such phantom elements.
 */
import { expect } from '@open-wc/testing';
import dicomParser from '../../../src/core/dicom/dicom-parser.js';
import type { DataSet } from '../../../src/core/dicom/dicom-parser.js';
import { parseDicomBytes } from '../../../src/core/image/dicom/parse.js';
import { deidentify } from '../../../src/core/deid/index.js';
import { corpusBytes } from '../../helpers/corpus.js';

const phantom = (ds: DataSet) =>
  Object.keys(ds.elements).filter((t) => t === 'x49444d43' || t.startsWith('x0000') || t === 'x4c550004');

describe('deflated DICOM', () => {
  it('parses no elements out of the preamble or the DICM marker', async () => {
    const parsed = await parseDicomBytes(await corpusBytes('dicom/image_dfl.dcm'));
    expect(phantom(parsed.dataSet)).to.deep.equal([]);
    expect(parsed.dataSet.string('x00020010')).to.equal('1.2.840.10008.1.2.1.99');
    expect(parsed.dataSet.uint16('x00280010')).to.equal(512);
  });

  it('de-identifies to a file without a (4944,4D43) element', async () => {
    const { bytes } = await deidentify(await corpusBytes('dicom/image_dfl.dcm'), {
      salt: 's',
      allowBurnedInAnnotation: true,
    });
    const out = dicomParser.parseDicom(new Uint8Array(bytes)) as DataSet;
    expect(phantom(out)).to.deep.equal([]);
    expect(out.string('x00020010')).to.equal('1.2.840.10008.1.2.1');
  });
});
