/**
 * DICOM tags, VRs and transfer syntaxes: the small vocabulary shared by the writer, the reader bridge and
 * de-identification. A tag is a number `(group << 16 | element) >>> 0`.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';

/** Every value representation of PS3.5 Table 6.2-1. */
export type Vr =
  | 'AE'
  | 'AS'
  | 'AT'
  | 'CS'
  | 'DA'
  | 'DS'
  | 'DT'
  | 'FD'
  | 'FL'
  | 'IS'
  | 'LO'
  | 'LT'
  | 'OB'
  | 'OD'
  | 'OF'
  | 'OL'
  | 'OV'
  | 'OW'
  | 'PN'
  | 'SH'
  | 'SL'
  | 'SQ'
  | 'SS'
  | 'ST'
  | 'SV'
  | 'TM'
  | 'UC'
  | 'UI'
  | 'UL'
  | 'UN'
  | 'UR'
  | 'US'
  | 'UT'
  | 'UV';

const ALL_VRS = new Set<string>(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);

/** True for a two-letter string that is a PS3.5 VR. */
export function isVr(value: unknown): value is Vr {
  return typeof value === 'string' && ALL_VRS.has(value);
}

/** VRs whose values are character strings (padded with a space, UI with NUL). */
export const TEXT_VRS: ReadonlySet<Vr> = new Set<Vr>([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);

/** VRs with a 32-bit length (and two reserved bytes) in explicit VR encodings. */
export const LONG_LENGTH_VRS: ReadonlySet<Vr> = new Set<Vr>([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

/** Size in bytes of one binary word for VRs whose byte order depends on the transfer syntax (AT counts 2). */
export function wordSize(vr: Vr): number {
  switch (vr) {
    case 'US':
    case 'SS':
    case 'OW':
    case 'AT':
      return 2;
    case 'UL':
    case 'SL':
    case 'FL':
    case 'OF':
    case 'OL':
      return 4;
    case 'FD':
    case 'OD':
    case 'SV':
    case 'UV':
    case 'OV':
      return 8;
    default:
      return 1;
  }
}

/** Builds a tag number from its group and element. */
export function tag(group: number, element: number): number {
  return (((group & 0xffff) << 16) | (element & 0xffff)) >>> 0;
}

/** Group number of a tag. */
export function tagGroup(t: number): number {
  return t >>> 16;
}

/** Element number of a tag. */
export function tagElement(t: number): number {
  return t & 0xffff;
}

/** True for tags in an odd group (private data elements and private creators). */
export function isPrivateTag(t: number): boolean {
  return (tagGroup(t) & 1) === 1;
}

/**
 * Parses `'x00080018'` (dicom-parser's key), `'(0008,0018)'`, `'0008,0018'` or `'00080018'` into a tag number.
 * Throws VoxmarkError('invalid-argument') otherwise.
 */
export function parseTag(text: string): number {
  const m = /^\(?x?([0-9a-fA-F]{4}),?([0-9a-fA-F]{4})\)?$/.exec(text.trim());
  if (!m) throw new VoxmarkError(ErrorCode.InvalidArgument, `Not a DICOM tag: ${JSON.stringify(text)}`);
  return tag(parseInt(m[1]!, 16), parseInt(m[2]!, 16));
}

/** dicom-parser's element key for a tag: `'x00080018'`. */
export function tagKey(t: number): string {
  return 'x' + (t >>> 0).toString(16).padStart(8, '0');
}

/** The conventional `(GGGG,EEEE)` form of a tag, upper-case hex. */
export function formatTag(t: number): string {
  const hex = (t >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}
