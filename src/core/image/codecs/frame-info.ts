/** What a codec needs to know about a compressed DICOM frame: plain data, so it can cross to a worker. */
export interface CodecFrameInfo {
  transferSyntaxUID: string;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  photometricInterpretation: string;
}
