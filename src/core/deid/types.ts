/** Options for `deidentify`: the DICOM PS3.15 Basic Application Level Confidentiality Profile and its options. */
export interface DeidentifyOptions {
  /** Per-project secret that keys replacement UIDs and date shifts. Same salt, same output. */
  salt?: string;
  [option: string]: unknown;
}
