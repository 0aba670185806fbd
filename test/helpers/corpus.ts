/** Access to the reference corpus (../shared/corpus), served by the test server at /corpus/. */
import type { DataType, PixelArray } from '../../src/core/image/types.js';

export interface CorpusEntry {
  file: string;
  note?: string;
  transferSyntaxUID?: string;
  lossy?: boolean;
  expectError?: boolean;
  rows?: number;
  columns?: number;
  frames?: number;
  samplesPerPixel?: number;
  photometric?: string;
  dtype?: DataType;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  modality?: string;
  frameStats?: { min: number; max: number; mean: number }[];
  ome?: Record<string, unknown>;
  [key: string]: unknown;
}

let index: Promise<CorpusEntry[]> | undefined;

export function corpusIndex(): Promise<CorpusEntry[]> {
  index ??= fetch('/corpus/index.json').then((r) => {
    if (!r.ok) throw new Error(`corpus index not served: HTTP ${r.status}`);
    return r.json() as Promise<CorpusEntry[]>;
  });
  return index;
}

export async function corpusBytes(file: string): Promise<Uint8Array> {
  const r = await fetch(`/corpus/${file}`);
  if (!r.ok) throw new Error(`corpus file ${file}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The expected decoded frame K of a corpus file, or undefined when the corpus has no .raw for it. */
export async function expectedFrame(entry: CorpusEntry, k: number): Promise<PixelArray | undefined> {
  const name = entry.file.split('/').pop()!;
  const r = await fetch(`/corpus/expected/${name}.f${k}.raw`);
  if (!r.ok) return undefined;
  const buf = await r.arrayBuffer();
  return typedArray(entry.dtype!, buf);
}

export function typedArray(dtype: DataType, buf: ArrayBuffer): PixelArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(buf);
    case 'int8':
      return new Int8Array(buf);
    case 'uint16':
      return new Uint16Array(buf);
    case 'int16':
      return new Int16Array(buf);
    case 'uint32':
      return new Uint32Array(buf);
    case 'int32':
      return new Int32Array(buf);
    case 'float32':
      return new Float32Array(buf);
    case 'float64':
      return new Float64Array(buf);
  }
}
