/**
 * The transfer syntaxes voxmark knows, in one table: UID, name (PS3.6 Annex A) and family. The family
 * says how pixel data is stored: `native` (uncompressed), `deflated` (the whole dataset deflated, the pixel
 * data native inside) or the codec that decodes encapsulated frames.
 */

/** How a transfer syntax stores its pixel data. */
export type TransferSyntaxFamily = 'native' | 'deflated' | CodecFamily;

/** The codec families compressed frames are dispatched to. */
export type CodecFamily = 'rle' | 'jpeg' | 'jpegls' | 'j2k' | 'htj2k';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  family: TransferSyntaxFamily;
}

/** Every transfer syntax voxmark reads. */
export const TRANSFER_SYNTAXES = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', family: 'native' },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', family: 'native' },
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', family: 'deflated' },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian', family: 'native' },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', family: 'rle' },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', family: 'jpeg' },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', family: 'jpeg' },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless (Process 14)', family: 'jpeg' },
  {
    uid: '1.2.840.10008.1.2.4.70',
    name: 'JPEG Lossless SV1 (Process 14, Selection Value 1)',
    family: 'jpeg',
  },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', family: 'jpegls' },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', family: 'jpegls' },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Lossless', family: 'j2k' },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', family: 'j2k' },
  { uid: '1.2.840.10008.1.2.4.92', name: 'JPEG 2000 Part 2 Multi-component Lossless', family: 'j2k' },
  { uid: '1.2.840.10008.1.2.4.93', name: 'JPEG 2000 Part 2 Multi-component', family: 'j2k' },
  { uid: '1.2.840.10008.1.2.4.201', name: 'HTJ2K Lossless', family: 'htj2k' },
  { uid: '1.2.840.10008.1.2.4.202', name: 'HTJ2K Lossless RPCL', family: 'htj2k' },
  { uid: '1.2.840.10008.1.2.4.203', name: 'HTJ2K', family: 'htj2k' },
] as const satisfies readonly TransferSyntaxInfo[];

const BY_UID: ReadonlyMap<string, TransferSyntaxInfo> = new Map(TRANSFER_SYNTAXES.map((t) => [t.uid, t]));

/** The UIDs of the syntaxes that the parser, the reader and the writer name in code. */
export const TransferSyntaxUID = {
  ImplicitVRLittleEndian: TRANSFER_SYNTAXES[0].uid,
  ExplicitVRLittleEndian: TRANSFER_SYNTAXES[1].uid,
  DeflatedExplicitVRLittleEndian: TRANSFER_SYNTAXES[2].uid,
  ExplicitVRBigEndian: TRANSFER_SYNTAXES[3].uid,
} as const;

/** The table entry of a transfer syntax, or undefined when voxmark does not know it. */
export function transferSyntax(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(uid);
}

/** True for the transfer syntaxes whose pixel data is native (not encapsulated), deflated ones included. */
export function isNativeTransferSyntax(uid: string): boolean {
  const family = BY_UID.get(uid)?.family;
  return family === 'native' || family === 'deflated';
}

/** The codec family of an encapsulated transfer syntax, or undefined when voxmark has no decoder for it. */
export function codecFamilyOf(uid: string): CodecFamily | undefined {
  const family = BY_UID.get(uid)?.family;
  return family === undefined || family === 'native' || family === 'deflated' ? undefined : family;
}
