import { expect } from '@open-wc/testing';
import {
  TRANSFER_SYNTAXES,
  TransferSyntaxUID,
  codecFamilyOf,
  isNativeTransferSyntax,
  transferSyntax,
} from '../../../src/core/dicom/transfer-syntax.js';

describe('the transfer-syntax table', () => {
  it('lists each UID once, with a name', () => {
    const uids = TRANSFER_SYNTAXES.map((t) => t.uid);
    expect(new Set(uids).size).to.equal(uids.length);
    for (const t of TRANSFER_SYNTAXES) expect(t.name).to.not.equal('');
  });

  it('tells native pixel data from encapsulated', () => {
    expect(isNativeTransferSyntax(TransferSyntaxUID.ImplicitVRLittleEndian)).to.equal(true);
    expect(isNativeTransferSyntax(TransferSyntaxUID.ExplicitVRBigEndian)).to.equal(true);
    expect(isNativeTransferSyntax(TransferSyntaxUID.DeflatedExplicitVRLittleEndian)).to.equal(true);
    expect(isNativeTransferSyntax('1.2.840.10008.1.2.4.50')).to.equal(false);
    expect(isNativeTransferSyntax('1.2.3')).to.equal(false);
  });

  it('gives the codec family of every compressed syntax and none for the others', () => {
    expect(codecFamilyOf('1.2.840.10008.1.2.5')).to.equal('rle');
    for (const uid of ['50', '51', '57', '70'])
      expect(codecFamilyOf(`1.2.840.10008.1.2.4.${uid}`)).to.equal('jpeg');
    for (const uid of ['80', '81']) expect(codecFamilyOf(`1.2.840.10008.1.2.4.${uid}`)).to.equal('jpegls');
    for (const uid of ['90', '91', '92', '93'])
      expect(codecFamilyOf(`1.2.840.10008.1.2.4.${uid}`)).to.equal('j2k');
    for (const uid of ['201', '202', '203'])
      expect(codecFamilyOf(`1.2.840.10008.1.2.4.${uid}`)).to.equal('htj2k');
    expect(codecFamilyOf(TransferSyntaxUID.ExplicitVRLittleEndian)).to.equal(undefined);
    expect(codecFamilyOf('1.2.840.10008.1.2.4.100')).to.equal(undefined); // MPEG-2: no decoder
    expect(transferSyntax('1.2.840.10008.1.2.4.91')?.name).to.equal('JPEG 2000');
  });
});
