import type { DecodeWorkerPool } from '../codecs/worker-pool.js';

/** Where encapsulated DICOM frames decode. */
export interface EncapsulatedDecodeOptions {
  /** Decode in these workers (which fall back to this thread if they cannot start). */
  pool?: DecodeWorkerPool;
}
