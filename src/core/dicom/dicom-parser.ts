/**
 * dicom-parser is a UMD bundle: bundlers expose it either as a namespace or as a default export.
 * Import it from here so every caller gets the same object whichever way the host bundles it.
 */
import * as namespace from 'dicom-parser';

const dicomParser = ((namespace as unknown as { default?: typeof namespace }).default ??
  namespace) as typeof namespace;
export default dicomParser;
export type { DataSet, Element } from 'dicom-parser';
