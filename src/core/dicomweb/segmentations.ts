/**
 * The DICOM SEGs an archive holds for a series: what a viewer lists so an annotator can load earlier work
 * back (`retrieveInstance` then `fromDicomSeg`).
 */
import { searchSeries, type SearchOptions } from './qido.js';
import { retrieveSeriesMetadata } from './wado.js';
import { jsonString, type DicomJson } from './json.js';

export interface SegmentationSummary {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  seriesDescription?: string;
  /** Content Label (0070,0080). */
  contentLabel?: string;
  /** Content Date and Time (0008,0023 / 0008,0033), `YYYYMMDD` and `HHMMSS`. */
  contentDate?: string;
  contentTime?: string;
}

const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/**
 * Lists the Segmentation instances of a study that reference `seriesInstanceUID` (through their Referenced
 * Series Sequence (0008,1115)), newest first: QIDO-RS for the study's SEG series, then their metadata.
 */
export async function findSegmentations(
  options: Omit<SearchOptions, 'limit' | 'offset' | 'includefield'> & {
    studyInstanceUID: string;
    seriesInstanceUID: string;
  },
): Promise<SegmentationSummary[]> {
  const { studyInstanceUID, seriesInstanceUID, ...connection } = options;
  const segSeries = await searchSeries({ ...connection, studyInstanceUID, modality: 'SEG' });
  const found: SegmentationSummary[] = [];
  for (const s of segSeries) {
    const instances = await retrieveSeriesMetadata({
      ...connection,
      studyInstanceUID,
      seriesInstanceUID: s.seriesInstanceUID,
    });
    for (const json of instances) {
      if (jsonString(json, '00080016') !== SEGMENTATION_STORAGE) continue;
      if (!referencesSeries(json, seriesInstanceUID)) continue;
      const summary: SegmentationSummary = {
        studyInstanceUID,
        seriesInstanceUID: s.seriesInstanceUID,
        sopInstanceUID: jsonString(json, '00080018') ?? '',
      };
      const more: [keyof SegmentationSummary, string][] = [
        ['seriesDescription', '0008103E'],
        ['contentLabel', '00700080'],
        ['contentDate', '00080023'],
        ['contentTime', '00080033'],
      ];
      for (const [key, tag] of more) {
        const v = jsonString(json, tag);
        if (v) summary[key] = v;
      }
      if (summary.sopInstanceUID) found.push(summary);
    }
  }
  const when = (s: SegmentationSummary) => `${s.contentDate ?? ''}${s.contentTime ?? ''}`;
  return found.sort((a, b) => when(b).localeCompare(when(a)));
}

function referencesSeries(json: DicomJson, seriesInstanceUID: string): boolean {
  const items = (json['00081115']?.Value ?? []) as DicomJson[];
  return items.some((item) => jsonString(item, '0020000E') === seriesInstanceUID);
}
