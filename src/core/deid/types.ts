/**
 * Types of DICOM de-identification (PS3.15 Annex E, Basic Application Level Confidentiality Profile).
 */

/** Actions of Table E.1-1: remove, zero-length, dummy, new UID, keep, clean, and the combined ones. */
export type DeidAction = 'X' | 'Z' | 'D' | 'U' | 'K' | 'C' | 'X/Z' | 'X/D' | 'X/Z/D' | 'Z/D' | 'X/Z/U*';

/** The option columns of Table E.1-1, under the JSON's names. */
export type DeidOptionColumn =
  | 'rtnLongFullDatesOpt'
  | 'rtnLongModifDatesOpt'
  | 'rtnUIDsOpt'
  | 'rtnDevIdOpt'
  | 'rtnInstIdOpt'
  | 'rtnPatCharsOpt'
  | 'rtnSafePrivOpt'
  | 'cleanDescOpt'
  | 'cleanStructContOpt'
  | 'cleanGraphOpt';

/** One row of Table E.1-1, as generated into rules.generated.ts. */
export interface DeidRule extends Partial<Record<DeidOptionColumn, DeidAction>> {
  /** 8 lower-case hex digits, "x" for a wildcard digit (e.g. "60xx3000"), or "private" for odd groups. */
  tag: string;
  name: string;
  /** Whether the attribute belongs to a standard composite IOD (the table's "Std. Comp. IOD" column). */
  inStdIOD: boolean;
  basic: DeidAction;
}

/** A private data element the host declares safe to keep (Retain Safe Private option). */
export interface SafePrivateTag {
  /** The Private Creator value that reserves the block, e.g. "SIEMENS CSA HEADER". */
  creator: string;
  /** The odd group, e.g. 0x0029. */
  group: number;
  /** Element offsets within the block (the low byte, 0x00–0xFF); omit to keep the whole block. */
  elements?: number[];
}

/** A rectangle of pixels to black out, in image pixel coordinates (origin at the top-left pixel). */
export interface PixelRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Regions to black out in images of one size (Columns × Rows), as the Clean Pixel Data option does. */
export interface PixelRegionsForSize {
  columns: number;
  rows: number;
  regions: PixelRegion[];
}

/** What a `clean` hook sees: never more than the one value it is asked to clean. */
export interface CleanContext {
  tag: string;
  name: string;
  vr: string;
  value: string;
  /** Why the attribute is cleaned: the option column that asked for C. */
  option: DeidOptionColumn;
}

/** Options for `deidentify`: the DICOM PS3.15 Basic Application Level Confidentiality Profile and its options. */
export interface DeidentifyOptions {
  /**
   * Per-project secret that keys replacement UIDs, pseudonymous IDs and the date shift. Same salt, same
   * output, so a series stays a series and references between objects stay valid across files and sessions.
   * Without it, a random key is made once per page (consistent within the page only).
   */
  salt?: string;
  /** Retain Longitudinal Temporal Information: `'full'` keeps dates, `'modified'` shifts them by a consistent per-patient offset. */
  retainLongitudinalTemporalInformation?: 'full' | 'modified' | false;
  /** Retain Patient Characteristics Option (sex, age, size, weight, ...). */
  retainPatientCharacteristics?: boolean;
  /** Retain Device Identity Option. */
  retainDeviceIdentity?: boolean;
  /** Retain Institution Identity Option. */
  retainInstitutionIdentity?: boolean;
  /** Retain UIDs Option: keep every UID as it is. */
  retainUIDs?: boolean;
  /** Retain Safe Private Option: keep the private elements listed here (all others are removed). */
  retainSafePrivate?: SafePrivateTag[];
  /** Clean Descriptors Option: keep descriptions and comments after cleaning them. */
  cleanDescriptors?: boolean;
  /** Clean Structured Content Option: keep structured content (SR content, acquisition context) after cleaning. */
  cleanStructuredContent?: boolean;
  /** Clean Graphics Option: keep overlays, curves and graphic annotations after cleaning their text. */
  cleanGraphics?: boolean;
  /** Pseudonymous Patient ID to write (e.g. a study subject code) instead of a derived one. */
  patientId?: string;
  /** Pseudonymous Patient's Name to write instead of an empty one. */
  patientName?: string;
  /**
   * Clean Pixel Data: regions to black out, per image size. Required for instances that may carry burned-in
   * text (BurnedInAnnotation YES, or absent on US, SC, XA, ES, OT), which are refused otherwise.
   */
  pixelRegions?: PixelRegionsForSize[];
  /**
   * Accept instances flagged for burned-in text without blanking (the host has reviewed them). They are
   * still flagged in the report, and BurnedInAnnotation is left as it was.
   */
  allowBurnedInAnnotation?: boolean;
  /**
   * How to clean a text value under a C action. Return the cleaned text. The default removes every
   * identifying value of the same dataset (names, IDs, dates, places, ...) from the text.
   */
  clean?: (context: CleanContext) => string;
}

/** One attribute de-identification touched. Never carries the original value. */
export interface DeidentifyReportEntry {
  /** `(GGGG,EEEE)`. */
  tag: string;
  /** Where it is: `(0040,0275)[0]/(0040,0007)` for nested attributes, the tag alone at top level. */
  path: string;
  name: string;
  /** The action applied: one of X Z D U K C, or `'add'` for attributes the profile writes. */
  action: 'X' | 'Z' | 'D' | 'U' | 'K' | 'C' | 'add';
  /** Whether the value in the output differs from the input. */
  changed: boolean;
}

/** What `deidentify` did. */
export interface DeidentifyReport {
  entries: DeidentifyReportEntry[];
  /** DeidentificationMethodCodeSequence codes written (CID 7050), e.g. ['113100', '113107']. */
  methodCodes: string[];
  /** Burned-in text: whether the instance was flagged, why, and what was done about it. */
  burnedInAnnotation: {
    flagged: boolean;
    reason?: string;
    /** Regions blanked, over all frames. */
    regionsBlanked: number;
    /** True when compressed pixels were decoded and re-encoded as explicit VR little endian. */
    reencoded: boolean;
  };
  /** Transfer syntax of the output. */
  transferSyntaxUID: string;
  /** Counts by action, for a summary. */
  counts: Record<DeidentifyReportEntry['action'], number>;
}

/** The result of `deidentify`. */
export interface DeidentifyResult {
  bytes: ArrayBuffer;
  report: DeidentifyReport;
}
