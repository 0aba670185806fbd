/**
 * Whether a stack is de-identified, as far as voxmark can tell from its metadata: de-identified by voxmark
 * while loading (`loadImageStack(…, { deidentify: true })` records `metadata.deidentified`), or DICOM whose
 * Patient Identity Removed (0012,0062) is YES (de-identified by another tool before it reached voxmark).
 */
import type { ImageStack } from '../image/types.js';

export const DeidentificationStatus = {
  /** voxmark de-identified the input while loading it. */
  OnLoad: 'deidentified-on-load',
  /** The DICOM says Patient Identity Removed = YES. */
  PatientIdentityRemoved: 'patient-identity-removed',
  /** Nothing says the stack is de-identified. */
  NotDeidentified: 'not-deidentified',
} as const;
export type DeidentificationStatus = (typeof DeidentificationStatus)[keyof typeof DeidentificationStatus];

/** The de-identification status of a stack (see {@link DeidentificationStatus}). */
export function deidentificationStatus(stack: Pick<ImageStack, 'metadata'>): DeidentificationStatus {
  const m = stack.metadata;
  if (m['deidentified'] === true) return DeidentificationStatus.OnLoad;
  const removed = m['patientIdentityRemoved'];
  if (typeof removed === 'string' && removed.trim().toUpperCase() === 'YES')
    return DeidentificationStatus.PatientIdentityRemoved;
  return DeidentificationStatus.NotDeidentified;
}
