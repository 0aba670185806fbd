/**
 * Pseudonyms are the host's text: a non-ASCII one (a site name, a study code in another script) written into
 * a file on the default character repertoire must come with a Specific Character Set that says how.
 */
import { expect } from '@open-wc/testing';
import dicomParser from '../../../src/core/dicom/dicom-parser.js';
import type { DataSet } from '../../../src/core/dicom/dicom-parser.js';
import { deidentify } from '../../../src/core/deid/index.js';
import { corpusBytes } from '../../helpers/corpus.js';

const utf8Of = (ds: DataSet, tag: string) => {
  const el = ds.elements[tag]!;
  const raw = (ds.byteArray as Uint8Array).subarray(el.dataOffset, el.dataOffset + el.length);
  return new TextDecoder().decode(raw).trim();
};

describe('de-identification with non-ASCII pseudonyms', () => {
  it('declares ISO_IR 192 and writes the pseudonyms as UTF-8 in a file that had no character set', async () => {
    const input = await corpusBytes('dicom/MR_small.dcm');
    expect((dicomParser.parseDicom(input) as DataSet).string('x00080005')).to.equal(undefined);
    const { bytes } = await deidentify(input, {
      salt: 's',
      patientName: 'Studie^Müller 山田',
      patientId: 'KÖLN-042',
    });
    const out = dicomParser.parseDicom(new Uint8Array(bytes)) as DataSet;
    expect(out.string('x00080005')).to.equal('ISO_IR 192');
    expect(utf8Of(out, 'x00100010')).to.equal('Studie^Müller 山田');
    expect(utf8Of(out, 'x00100020')).to.equal('KÖLN-042');
  });

  it('adds no character set for ASCII pseudonyms', async () => {
    const { bytes } = await deidentify(await corpusBytes('dicom/MR_small.dcm'), {
      salt: 's',
      patientName: 'Case^42',
    });
    const out = dicomParser.parseDicom(new Uint8Array(bytes)) as DataSet;
    expect(out.string('x00080005')).to.equal(undefined);
  });
});
