/**
 * Synthetic DICOM for de-identification tests: a dataset that puts a distinct PHI value into every
 * attribute of Table E.1-1 that its VR can hold (top level, inside sequences, in private blocks, overlays
 * and curves), and small image series.
 */
import { DEID_RULES } from '../../../src/core/deid/rules.generated.js';
import { registeredVr } from '../../../src/core/dicom/dictionary.js';
import { TEXT_VRS, tag, type Vr } from '../../../src/core/dicom/tags.js';
import { writeDicomFile, type DicomDataset, type DicomElement } from '../../../src/core/dicom/writer.js';

export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
export const SEG_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** Makes distinct PHI values; every one is recorded so a test can search for it. */
export class PhiFactory {
  readonly values: string[] = [];
  private n = 0;

  /** A PHI value that fits `vr`, or undefined for VRs that cannot hold text. */
  value(vr: Vr): string | Uint8Array | undefined {
    const n = ++this.n;
    const k = String(n).padStart(4, '0');
    let v: string;
    switch (vr) {
      case 'AE':
      case 'CS':
        v = `PHI${vr}${k}`;
        break;
      case 'SH':
        v = `PHISH${k}`;
        break;
      case 'AS':
        v = `${String(n % 1000).padStart(3, '0')}W`;
        break;
      case 'DA':
        v = date(n);
        break;
      case 'DT':
        v = `${date(n)}1${k.slice(1)}07.1${k}`;
        break;
      case 'TM':
        v = `13${k}.77${k}`;
        break;
      case 'DS':
        v = `73${k}.31${k.slice(0, 3)}`;
        break;
      case 'IS':
        v = `5773${k}`;
        break;
      case 'UI':
        v = `1.2.826.0.1.3680043.99.7.${n}`;
        break;
      case 'PN':
        v = `PHIFAMILY${k}^PHIGIVEN${k}`;
        this.values.push(`PHIFAMILY${k}`, `PHIGIVEN${k}`);
        break;
      case 'UR':
        v = `http://phi.example/${k}`;
        break;
      case 'OB':
      case 'OW':
      case 'UN':
        v = `PHI-BYTES-${vr}-${k}`;
        this.values.push(v);
        return ascii(v);
      default:
        if (TEXT_VRS.has(vr)) v = `PHI-${vr}-${k}`;
        else return undefined;
    }
    this.values.push(v);
    return v;
  }
}

function date(n: number): string {
  const d = new Date(Date.UTC(1931, 0, 1) + n * 86_400_000 * 37);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** The VR to write a table attribute with: its registered VR (first choice), LO when the registry lacks it. */
export function vrForRule(tagPattern: string): Vr {
  const vr = registeredVr(parseInt(tagPattern, 16) >>> 0);
  if (!vr) return 'LO';
  return vr.split('|')[0] as Vr;
}

/** Concrete tags for a rule's pattern: wildcards instantiated in one even group. */
export function tagsForPattern(pattern: string): number[] {
  if (pattern === 'private') return [];
  if (pattern === '50xxxxxx') return [tag(0x5000, 0x0022), tag(0x5002, 0x3000)];
  return [parseInt(pattern.replace(/x/g, '0'), 16) >>> 0];
}

/** Elements that go in every nested item: a PHI name, institution, referenced UID and a private block. */
function nestedItem(phi: PhiFactory): DicomDataset {
  return [
    { tag: tag(0x0008, 0x0080), vr: 'LO', value: phi.value('LO') },
    { tag: tag(0x0008, 0x1150), vr: 'UI', value: CT_IMAGE_STORAGE },
    { tag: tag(0x0008, 0x1155), vr: 'UI', value: phi.value('UI') },
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: phi.value('PN') },
    { tag: tag(0x0010, 0x0020), vr: 'LO', value: phi.value('LO') },
    { tag: tag(0x0011, 0x0010), vr: 'LO', value: 'PHI NESTED CREATOR' },
    { tag: tag(0x0011, 0x1001), vr: 'LO', value: phi.value('LO') },
  ];
}

/**
 * Every table row with a concrete VR gets a PHI value; sequences get an item of nested PHI, one level
 * deeper again inside a sequence the table does not list. Returns the dataset and the PHI values.
 */
export function phiDataset(): { dataset: DicomDataset; phi: PhiFactory; sopInstanceUID: string } {
  const phi = new PhiFactory();
  const dataset: DicomDataset = [];
  const seen = new Set<number>();
  const add = (e: DicomElement) => {
    if (seen.has(e.tag)) return;
    seen.add(e.tag);
    dataset.push(e);
  };
  const sopInstanceUID = phi.value('UI') as string;
  add({ tag: tag(0x0008, 0x0016), vr: 'UI', value: CT_IMAGE_STORAGE });
  add({ tag: tag(0x0008, 0x0018), vr: 'UI', value: sopInstanceUID });
  add({ tag: tag(0x0008, 0x0060), vr: 'CS', value: 'CT' });
  for (const rule of DEID_RULES) {
    for (const t of tagsForPattern(rule.tag)) {
      if (t >>> 16 === 0x0002) continue; // the meta header is written by the writer
      const vr = rule.tag.includes('x')
        ? (t & 0xffff) === 0x3000
          ? 'OB'
          : t >>> 16 >= 0x6000
            ? 'LT'
            : 'LO'
        : vrForRule(rule.tag);
      if (vr === 'SQ') {
        add({
          tag: t,
          vr,
          value: [nestedItem(phi), [{ tag: tag(0x0028, 0x3010), vr: 'SQ', value: [nestedItem(phi)] }]],
        });
        continue;
      }
      const value = phi.value(vr);
      if (value !== undefined) add({ tag: t, vr, value });
    }
  }
  // A sequence the table does not list, holding table attributes two levels down.
  add({
    tag: tag(0x0028, 0x3010),
    vr: 'SQ',
    value: [[...nestedItem(phi), { tag: tag(0x0040, 0x9096), vr: 'SQ', value: [nestedItem(phi)] }]],
  });
  // Private blocks, including a private sequence.
  add({ tag: tag(0x0009, 0x0010), vr: 'LO', value: 'PHI CREATOR ONE' });
  add({ tag: tag(0x0009, 0x1001), vr: 'LO', value: phi.value('LO') });
  add({ tag: tag(0x0009, 0x1002), vr: 'SQ', value: [nestedItem(phi)] });
  add({ tag: tag(0x0009, 0x1003), vr: 'UN', value: phi.value('UN') });
  // Overlay plane around the overlay rows.
  add({ tag: tag(0x6000, 0x0010), vr: 'US', value: 2 });
  add({ tag: tag(0x6000, 0x0011), vr: 'US', value: 2 });
  add({ tag: tag(0x6000, 0x0022), vr: 'LO', value: phi.value('LO') });
  // A small image.
  add({ tag: tag(0x0028, 0x0002), vr: 'US', value: 1 });
  add({ tag: tag(0x0028, 0x0004), vr: 'CS', value: 'MONOCHROME2' });
  add({ tag: tag(0x0028, 0x0010), vr: 'US', value: 4 });
  add({ tag: tag(0x0028, 0x0011), vr: 'US', value: 4 });
  add({ tag: tag(0x0028, 0x0100), vr: 'US', value: 16 });
  add({ tag: tag(0x0028, 0x0101), vr: 'US', value: 16 });
  add({ tag: tag(0x0028, 0x0102), vr: 'US', value: 15 });
  add({ tag: tag(0x0028, 0x0103), vr: 'US', value: 0 });
  add({ tag: tag(0x7fe0, 0x0010), vr: 'OW', value: new Uint16Array(16).map((_, i) => i * 100) });
  return { dataset, phi, sopInstanceUID };
}

export interface SliceSpec {
  patientId?: string;
  patientName?: string;
  studyUID?: string;
  seriesUID?: string;
  frameOfReferenceUID?: string;
  sopInstanceUID: string;
  instanceNumber: number;
  z: number;
  studyDate?: string;
  modality?: string;
  burnedIn?: string;
  columns?: number;
  rows?: number;
  pixels?: Uint16Array;
}

/** One CT slice as Part 10 bytes. */
export function ctSlice(s: SliceSpec): Uint8Array {
  const columns = s.columns ?? 8;
  const rows = s.rows ?? 6;
  const pixels =
    s.pixels ?? new Uint16Array(columns * rows).map((_, i) => (i * 37 + s.instanceNumber) & 0xfff);
  const ds: DicomDataset = [
    { tag: tag(0x0008, 0x0016), vr: 'UI', value: CT_IMAGE_STORAGE },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: s.sopInstanceUID },
    { tag: tag(0x0008, 0x0020), vr: 'DA', value: s.studyDate ?? '20240229' },
    { tag: tag(0x0008, 0x0030), vr: 'TM', value: '101500' },
    { tag: tag(0x0008, 0x0060), vr: 'CS', value: s.modality ?? 'CT' },
    { tag: tag(0x0008, 0x1030), vr: 'LO', value: `Head CT for ${s.patientName ?? 'Doe^Jane'}` },
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: s.patientName ?? 'Doe^Jane' },
    { tag: tag(0x0010, 0x0020), vr: 'LO', value: s.patientId ?? 'MRN-12345' },
    { tag: tag(0x0010, 0x0030), vr: 'DA', value: '19610704' },
    { tag: tag(0x0010, 0x0040), vr: 'CS', value: 'F' },
    { tag: tag(0x0020, 0x000d), vr: 'UI', value: s.studyUID ?? '1.2.826.0.1.3680043.8.1.1' },
    { tag: tag(0x0020, 0x000e), vr: 'UI', value: s.seriesUID ?? '1.2.826.0.1.3680043.8.1.2' },
    { tag: tag(0x0020, 0x0013), vr: 'IS', value: s.instanceNumber },
    { tag: tag(0x0020, 0x0032), vr: 'DS', value: [0, 0, s.z] },
    { tag: tag(0x0020, 0x0037), vr: 'DS', value: [1, 0, 0, 0, 1, 0] },
    { tag: tag(0x0020, 0x0052), vr: 'UI', value: s.frameOfReferenceUID ?? '1.2.826.0.1.3680043.8.1.3' },
    { tag: tag(0x0028, 0x0002), vr: 'US', value: 1 },
    { tag: tag(0x0028, 0x0004), vr: 'CS', value: 'MONOCHROME2' },
    { tag: tag(0x0028, 0x0010), vr: 'US', value: rows },
    { tag: tag(0x0028, 0x0011), vr: 'US', value: columns },
    { tag: tag(0x0028, 0x0030), vr: 'DS', value: [0.5, 0.5] },
    { tag: tag(0x0028, 0x0100), vr: 'US', value: 16 },
    { tag: tag(0x0028, 0x0101), vr: 'US', value: 12 },
    { tag: tag(0x0028, 0x0102), vr: 'US', value: 11 },
    { tag: tag(0x0028, 0x0103), vr: 'US', value: 0 },
    { tag: tag(0x7fe0, 0x0010), vr: 'OW', value: pixels },
  ];
  if (s.burnedIn !== undefined) ds.push({ tag: tag(0x0028, 0x0301), vr: 'CS', value: s.burnedIn });
  return writeDicomFile(ds);
}

/** A SEG-like object that references its source instances the way a DICOM SEG does. */
export function segReferencing(sources: { sop: string; series: string; study: string }[]): Uint8Array {
  const ds: DicomDataset = [
    { tag: tag(0x0008, 0x0016), vr: 'UI', value: SEG_STORAGE },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.826.0.1.3680043.8.1.99' },
    { tag: tag(0x0008, 0x0060), vr: 'CS', value: 'SEG' },
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Doe^Jane' },
    { tag: tag(0x0010, 0x0020), vr: 'LO', value: 'MRN-12345' },
    { tag: tag(0x0020, 0x000d), vr: 'UI', value: sources[0]!.study },
    { tag: tag(0x0020, 0x000e), vr: 'UI', value: '1.2.826.0.1.3680043.8.1.98' },
    {
      tag: tag(0x0008, 0x1115),
      vr: 'SQ',
      value: [
        [
          { tag: tag(0x0020, 0x000e), vr: 'UI', value: sources[0]!.series },
          {
            tag: tag(0x0008, 0x114a),
            vr: 'SQ',
            value: sources.map((s): DicomDataset => [
              { tag: tag(0x0008, 0x1150), vr: 'UI', value: CT_IMAGE_STORAGE },
              { tag: tag(0x0008, 0x1155), vr: 'UI', value: s.sop },
            ]),
          },
        ],
      ],
    },
    {
      tag: tag(0x5200, 0x9230),
      vr: 'SQ',
      value: sources.map((s): DicomDataset => [
        {
          tag: tag(0x0008, 0x9124),
          vr: 'SQ',
          value: [
            [
              {
                tag: tag(0x0008, 0x2112),
                vr: 'SQ',
                value: [
                  [
                    { tag: tag(0x0008, 0x1150), vr: 'UI', value: CT_IMAGE_STORAGE },
                    { tag: tag(0x0008, 0x1155), vr: 'UI', value: s.sop },
                  ],
                ],
              },
            ],
          ],
        },
      ]),
    },
  ];
  return writeDicomFile(ds);
}
