/**
 * QIDO-RS: search for studies, series and instances, with the standard matching keys, paging and
 * `includefield`. Results come back as plain summaries plus the DICOM JSON they were read from.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { openRequest, readJson, serviceUrl, uidSegment, type DicomWebConnection } from './http.js';
import { asDatasetList, jsonNumber, jsonString, jsonStrings, type DicomJson } from './json.js';

/** Largest QIDO answer read, in bytes. */
export const MAX_QIDO_BYTES = 64 * 1024 * 1024;

/** A date, or an inclusive range (either end may be open). Dates as `YYYYMMDD`, `YYYY-MM-DD` or `Date`. */
export type DateFilter = string | Date | { from?: string | Date; to?: string | Date };

/** What every search takes: paging and extra attributes. */
export interface SearchOptions extends DicomWebConnection {
  /** At most this many results. */
  limit?: number;
  /** Skip this many results first (with `limit`, for paging). */
  offset?: number;
  /** Extra attributes to return: keywords or tags (`'StudyDescription'`, `'00081030'`), or `'all'`. */
  includefield?: string[] | 'all';
  /** Ask for fuzzy matching of person names (servers may ignore it). */
  fuzzymatching?: boolean;
  signal?: AbortSignal;
}

/** Study-level matching keys. Text keys accept `*` and `?` wildcards where the server supports them. */
export interface StudyFilters {
  patientId?: string;
  patientName?: string;
  studyDate?: DateFilter;
  /** Modalities in the study (`'CT'`). */
  modality?: string;
  accessionNumber?: string;
  studyInstanceUID?: string;
  studyDescription?: string;
}

export interface SeriesFilters {
  /** Search the series of this study; without it, every series of the archive. */
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  modality?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  /** Study-level keys (only without `studyInstanceUID`; servers may not support them). */
  patientId?: string;
  patientName?: string;
  studyDate?: DateFilter;
  accessionNumber?: string;
}

export interface InstanceFilters {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID?: string;
  sopClassUID?: string;
}

export interface StudySummary {
  studyInstanceUID: string;
  patientId?: string;
  patientName?: string;
  /** `YYYYMMDD` as the archive stores it. */
  studyDate?: string;
  studyTime?: string;
  accessionNumber?: string;
  studyDescription?: string;
  modalities: string[];
  numberOfSeries?: number;
  numberOfInstances?: number;
  /** The DICOM JSON the summary was read from (with any `includefield` attributes). */
  json: DicomJson;
}

export interface SeriesSummary {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  modality?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  numberOfInstances?: number;
  json: DicomJson;
}

export interface InstanceSummary {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID?: string;
  instanceNumber?: number;
  numberOfFrames?: number;
  json: DicomJson;
}

/** Searches studies (QIDO-RS `/studies`). */
export async function searchStudies(options: SearchOptions & StudyFilters): Promise<StudySummary[]> {
  const query = new URLSearchParams();
  text(query, '00100020', options.patientId);
  text(query, '00100010', options.patientName);
  date(query, '00080020', options.studyDate);
  text(query, '00080061', options.modality);
  text(query, '00080050', options.accessionNumber);
  text(query, '0020000D', options.studyInstanceUID);
  text(query, '00081030', options.studyDescription);
  const list = await qido(options, '/studies', query, ['00081030', '00080061', '00201206', '00201208']);
  return list.map((json) => ({
    studyInstanceUID: required(json, '0020000D'),
    ...optionalStrings(json, {
      patientId: '00100020',
      patientName: '00100010',
      studyDate: '00080020',
      studyTime: '00080030',
      accessionNumber: '00080050',
      studyDescription: '00081030',
    }),
    modalities: jsonStrings(json, '00080061'),
    ...optionalNumbers(json, { numberOfSeries: '00201206', numberOfInstances: '00201208' }),
    json,
  }));
}

/** Searches series (QIDO-RS `/studies/{study}/series`, or `/series` without a study). */
export async function searchSeries(options: SearchOptions & SeriesFilters): Promise<SeriesSummary[]> {
  const query = new URLSearchParams();
  text(query, '0020000E', options.seriesInstanceUID);
  text(query, '00080060', options.modality);
  text(query, '0008103E', options.seriesDescription);
  if (options.seriesNumber !== undefined) query.set('00200011', String(options.seriesNumber));
  text(query, '00100020', options.patientId);
  text(query, '00100010', options.patientName);
  date(query, '00080020', options.studyDate);
  text(query, '00080050', options.accessionNumber);
  const path = options.studyInstanceUID
    ? `/studies/${uidSegment(options.studyInstanceUID, 'studyInstanceUID')}/series`
    : '/series';
  const list = await qido(options, path, query, ['0008103E', '00201209']);
  return list.map((json) => ({
    studyInstanceUID: jsonString(json, '0020000D') ?? options.studyInstanceUID ?? '',
    seriesInstanceUID: required(json, '0020000E'),
    ...optionalStrings(json, { modality: '00080060', seriesDescription: '0008103E' }),
    ...optionalNumbers(json, { seriesNumber: '00200011', numberOfInstances: '00201209' }),
    json,
  }));
}

/** Lists the instances of a series (QIDO-RS `/studies/{study}/series/{series}/instances`). */
export async function searchInstances(options: SearchOptions & InstanceFilters): Promise<InstanceSummary[]> {
  const query = new URLSearchParams();
  text(query, '00080018', options.sopInstanceUID);
  text(query, '00080016', options.sopClassUID);
  const path =
    `/studies/${uidSegment(options.studyInstanceUID, 'studyInstanceUID')}` +
    `/series/${uidSegment(options.seriesInstanceUID, 'seriesInstanceUID')}/instances`;
  const list = await qido(options, path, query, ['00200013', '00280008']);
  return list.map((json) => ({
    studyInstanceUID: options.studyInstanceUID,
    seriesInstanceUID: options.seriesInstanceUID,
    sopInstanceUID: required(json, '00080018'),
    ...optionalStrings(json, { sopClassUID: '00080016' }),
    ...optionalNumbers(json, { instanceNumber: '00200013', numberOfFrames: '00280008' }),
    json,
  }));
}

async function qido(
  options: SearchOptions,
  path: string,
  query: URLSearchParams,
  defaultFields: string[],
): Promise<DicomJson[]> {
  if (options.limit !== undefined) query.set('limit', String(nonNegative(options.limit, 'limit')));
  if (options.offset !== undefined) query.set('offset', String(nonNegative(options.offset, 'offset')));
  if (options.fuzzymatching) query.set('fuzzymatching', 'true');
  if (options.includefield === 'all') query.set('includefield', 'all');
  else for (const f of [...defaultFields, ...(options.includefield ?? [])]) query.append('includefield', f);
  const open = await openRequest(options, serviceUrl(options.url, path, query), {
    accept: 'application/dicom+json, application/json;q=0.9',
    signal: options.signal,
  });
  return asDatasetList(await readJson(open, MAX_QIDO_BYTES), 'The search answer');
}

function nonNegative(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0)
    throw new VoxmarkError(ErrorCode.InvalidArgument, `${what} must be a whole number ≥ 0, not ${n}`);
  return n;
}

function text(query: URLSearchParams, tag: string, value: string | undefined): void {
  if (value !== undefined && value !== '') query.set(tag, value);
}

/** `YYYYMMDD`, `YYYYMMDD-`, `-YYYYMMDD` or `YYYYMMDD-YYYYMMDD`. */
function date(query: URLSearchParams, tag: string, value: DateFilter | undefined): void {
  if (value === undefined) return;
  if (typeof value === 'string' || value instanceof Date) {
    query.set(tag, dicomDate(value));
    return;
  }
  const from = value.from === undefined ? '' : dicomDate(value.from);
  const to = value.to === undefined ? '' : dicomDate(value.to);
  if (from || to) query.set(tag, `${from}-${to}`);
}

/** A date as DICOM DA (`YYYYMMDD`). */
export function dicomDate(value: string | Date): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new VoxmarkError(ErrorCode.InvalidArgument, 'Invalid date');
    const y = value.getFullYear();
    const m = String(value.getMonth() + 1).padStart(2, '0');
    const d = String(value.getDate()).padStart(2, '0');
    return `${y}${m}${d}`;
  }
  const digits = value.replace(/-/g, '');
  if (!/^\d{8}$/.test(digits))
    throw new VoxmarkError(ErrorCode.InvalidArgument, `Not a date (YYYYMMDD or YYYY-MM-DD): ${value}`);
  return digits;
}

function required(json: DicomJson, tag: string): string {
  const v = jsonString(json, tag);
  if (!v) throw new VoxmarkError(ErrorCode.Corrupt, `A search result lacks its UID (${tag})`);
  return v;
}

function optionalStrings<K extends string>(
  json: DicomJson,
  tags: Record<K, string>,
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, tag] of Object.entries(tags) as [K, string][]) {
    const v = jsonString(json, tag);
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

function optionalNumbers<K extends string>(
  json: DicomJson,
  tags: Record<K, string>,
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const [key, tag] of Object.entries(tags) as [K, string][]) {
    const v = jsonNumber(json, tag);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
