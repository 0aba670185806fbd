/**
 * DICOM writing for voxmark: a Part 10 writer, a bridge from dicom-parser datasets, tag helpers and the
 * PS3.6 VR dictionary. Shared by de-identification and the DICOM SEG export.
 * @packageDocumentation
 */
export {
  writeDicomFile,
  writeDataset,
  encodeValue,
  formatDecimalString,
  element,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
} from './writer.js';
export type {
  DicomDataset,
  DicomElement,
  DicomValue,
  EncapsulatedPixelData,
  WriteDatasetOptions,
  WriteFileOptions,
} from './writer.js';
export { elementsFromDataSet } from './reader.js';
export type { FromDataSetOptions } from './reader.js';
export { registeredVr, implicitVr } from './dictionary.js';
export type { VrContext } from './dictionary.js';
export {
  tag,
  tagGroup,
  tagElement,
  parseTag,
  tagKey,
  formatTag,
  isPrivateTag,
  isVr,
  wordSize,
  TEXT_VRS,
  LONG_LENGTH_VRS,
} from './tags.js';
export {
  TRANSFER_SYNTAXES,
  TransferSyntaxUID,
  transferSyntax,
  isNativeTransferSyntax,
  codecFamilyOf,
} from './transfer-syntax.js';
export type { TransferSyntaxInfo, TransferSyntaxFamily, CodecFamily } from './transfer-syntax.js';
export type { Vr } from './tags.js';
