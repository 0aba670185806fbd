import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing, type TemplateResult } from 'lit';
import dicomParser from '../src/core/dicom/dicom-parser.js';
import type { DataSet } from '../src/core/dicom/dicom-parser.js';
import { deidentify, type DeidentifyOptions, type DeidentifyReport } from '../src/core/deid/index.js';
import { DEID_RULES } from '../src/core/deid/rules.generated.js';
import { ruleFor } from '../src/core/deid/rules.js';
import { tag, writeDicomFile, type DicomDataset } from '../src/core/dicom/index.js';
import { loadImageStack } from '../src/core/load.js';
import type { ImageStack } from '../src/core/image/types.js';
import { VoxmarkError } from '../src/core/errors.js';
import { phantomSliceStored } from './data/phantom.js';

interface DeidArgs {
  temporal: 'removed' | 'full' | 'modified';
  retainPatientCharacteristics: boolean;
  retainDeviceIdentity: boolean;
  retainInstitutionIdentity: boolean;
  retainUIDs: boolean;
  cleanDescriptors: boolean;
  patientId: string;
  salt: string;
}

const meta: Meta<DeidArgs> = {
  title: 'Core/De-identification',
  args: {
    temporal: 'removed',
    retainPatientCharacteristics: false,
    retainDeviceIdentity: false,
    retainInstitutionIdentity: false,
    retainUIDs: false,
    cleanDescriptors: false,
    patientId: '',
    salt: 'storybook-project-salt',
  },
  argTypes: {
    temporal: { control: 'inline-radio', options: ['removed', 'full', 'modified'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'deidentify(bytes, options) applies the DICOM PS3.15 Basic Application Level Confidentiality Profile ' +
          '(all 621 rows of Table E.1-1) and its options in the browser. Left: the file as it came, with fake ' +
          'PHI. Right: the de-identified file. Below: the report, which names every attribute touched but ' +
          'never the values removed.',
      },
    },
  },
};
export default meta;
type Story = StoryObj<DeidArgs>;

const NAMES: Record<string, string> = {
  '(0002,0000)': 'File Meta Information Group Length',
  '(0002,0001)': 'File Meta Information Version',
  '(0002,0002)': 'Media Storage SOP Class UID',
  '(0002,0010)': 'Transfer Syntax UID',
  '(0002,0012)': 'Implementation Class UID',
  '(0002,0013)': 'Implementation Version Name',
  '(0008,0016)': 'SOP Class UID',
  '(0008,0060)': 'Modality',
  '(0008,0005)': 'Specific Character Set',
  '(0012,0062)': 'Patient Identity Removed',
  '(0012,0063)': 'De-identification Method',
  '(0012,0064)': 'De-identification Method Code Sequence',
  '(0008,0100)': 'Code Value',
  '(0008,0102)': 'Coding Scheme Designator',
  '(0008,0104)': 'Code Meaning',
  '(0018,0050)': 'Slice Thickness',
  '(0020,0013)': 'Instance Number',
  '(0020,0032)': 'Image Position (Patient)',
  '(0020,0037)': 'Image Orientation (Patient)',
  '(0028,0002)': 'Samples per Pixel',
  '(0028,0004)': 'Photometric Interpretation',
  '(0028,0010)': 'Rows',
  '(0028,0011)': 'Columns',
  '(0028,0030)': 'Pixel Spacing',
  '(0028,0100)': 'Bits Allocated',
  '(0028,0101)': 'Bits Stored',
  '(0028,0102)': 'High Bit',
  '(0028,0103)': 'Pixel Representation',
  '(0028,0301)': 'Burned In Annotation',
  '(0028,0303)': 'Longitudinal Temporal Information Modified',
  '(0028,1050)': 'Window Center',
  '(0028,1051)': 'Window Width',
  '(0028,1052)': 'Rescale Intercept',
  '(0028,1053)': 'Rescale Slope',
  '(7FE0,0010)': 'Pixel Data',
};

function nameOf(key: string): string {
  const t = parseInt(key.slice(1), 16) >>> 0;
  const formatted = `(${key.slice(1, 5).toUpperCase()},${key.slice(5).toUpperCase()})`;
  if (NAMES[formatted]) return NAMES[formatted];
  const rule = ruleFor(t);
  if (rule?.tag === 'private') return (t & 0xffff) <= 0xff ? 'Private Creator' : 'Private attribute';
  return rule?.name ?? '';
}

const SIZE = 256;

/** A phantom CT slice carrying fake PHI of many kinds, including a nested sequence and a private block. */
function fakePatientFile(): Uint8Array {
  const pixels = phantomSliceStored(30, { size: SIZE });
  const root = '1.2.826.0.1.3680043.10.1561.77';
  const ds: DicomDataset = [
    { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: `${root}.3.1` },
    { tag: tag(0x0008, 0x0020), vr: 'DA', value: '20240315' },
    { tag: tag(0x0008, 0x0030), vr: 'TM', value: '093012' },
    { tag: tag(0x0008, 0x0050), vr: 'SH', value: 'ACC-884213' },
    { tag: tag(0x0008, 0x0060), vr: 'CS', value: 'CT' },
    { tag: tag(0x0008, 0x0080), vr: 'LO', value: 'Springfield General Hospital' },
    { tag: tag(0x0008, 0x0090), vr: 'PN', value: 'Hibbert^Julius^^Dr' },
    { tag: tag(0x0008, 0x1010), vr: 'SH', value: 'CT-ROOM-2' },
    { tag: tag(0x0008, 0x1030), vr: 'LO', value: 'CT chest for Alice Fakename, follow-up' },
    { tag: tag(0x0008, 0x1070), vr: 'PN', value: 'Nahasapeemapetilon^Apu' },
    {
      tag: tag(0x0008, 0x1110),
      vr: 'SQ',
      value: [
        [
          { tag: tag(0x0008, 0x1150), vr: 'UI', value: '1.2.840.10008.3.1.2.3.1' },
          { tag: tag(0x0008, 0x1155), vr: 'UI', value: `${root}.9.1` },
        ],
      ],
    },
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Fakename^Alice' },
    { tag: tag(0x0010, 0x0020), vr: 'LO', value: 'MRN-000123' },
    { tag: tag(0x0010, 0x0030), vr: 'DA', value: '19720229' },
    { tag: tag(0x0010, 0x0040), vr: 'CS', value: 'F' },
    { tag: tag(0x0010, 0x1010), vr: 'AS', value: '052Y' },
    { tag: tag(0x0010, 0x1040), vr: 'LO', value: '742 Evergreen Terrace, Springfield' },
    {
      tag: tag(0x0010, 0x1002),
      vr: 'SQ',
      value: [[{ tag: tag(0x0010, 0x0020), vr: 'LO', value: 'SSN-078-05-1120' }]],
    },
    { tag: tag(0x0018, 0x0050), vr: 'DS', value: 2.5 },
    { tag: tag(0x0018, 0x1000), vr: 'LO', value: 'SN-4471-X' },
    { tag: tag(0x0020, 0x000d), vr: 'UI', value: `${root}.1` },
    { tag: tag(0x0020, 0x000e), vr: 'UI', value: `${root}.2` },
    { tag: tag(0x0020, 0x0013), vr: 'IS', value: 31 },
    { tag: tag(0x0020, 0x0032), vr: 'DS', value: [-200, -200, 150] },
    { tag: tag(0x0020, 0x0037), vr: 'DS', value: [1, 0, 0, 0, 1, 0] },
    { tag: tag(0x0020, 0x0052), vr: 'UI', value: `${root}.4` },
    { tag: tag(0x0029, 0x0010), vr: 'LO', value: 'ACME CT 1.0' },
    { tag: tag(0x0029, 0x1001), vr: 'LO', value: 'Scanned by A. Nahasapeemapetilon' },
    { tag: tag(0x0028, 0x0002), vr: 'US', value: 1 },
    { tag: tag(0x0028, 0x0004), vr: 'CS', value: 'MONOCHROME2' },
    { tag: tag(0x0028, 0x0010), vr: 'US', value: SIZE },
    { tag: tag(0x0028, 0x0011), vr: 'US', value: SIZE },
    { tag: tag(0x0028, 0x0030), vr: 'DS', value: [400 / SIZE, 400 / SIZE] },
    { tag: tag(0x0028, 0x0100), vr: 'US', value: 16 },
    { tag: tag(0x0028, 0x0101), vr: 'US', value: 12 },
    { tag: tag(0x0028, 0x0102), vr: 'US', value: 11 },
    { tag: tag(0x0028, 0x0103), vr: 'US', value: 0 },
    { tag: tag(0x0028, 0x1050), vr: 'DS', value: 40 },
    { tag: tag(0x0028, 0x1051), vr: 'DS', value: 400 },
    { tag: tag(0x0028, 0x1052), vr: 'DS', value: -1024 },
    { tag: tag(0x0028, 0x1053), vr: 'DS', value: 1 },
    { tag: tag(0x7fe0, 0x0010), vr: 'OW', value: pixels },
  ];
  return writeDicomFile(ds);
}

/** An ultrasound-like frame with "text" burned into its top band, and no BurnedInAnnotation attribute. */
function burnedInFile(): Uint8Array {
  const w = 192;
  const h = 128;
  const px = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - w / 2;
      const dy = y - 10;
      const r = Math.hypot(dx, dy);
      const inFan = y > 24 && r < 120 && Math.abs(Math.atan2(dx, dy)) < 0.6;
      px[y * w + x] = inFan ? 60 + ((x * 7 + y * 13) % 90) : 0;
    }
  }
  // Blocky glyphs standing in for a patient name and date in the top band.
  for (let i = 0; i < 18; i++) {
    const x0 = 8 + i * 10;
    for (let y = 6; y < 16; y++)
      for (let x = x0; x < x0 + 7; x++) if ((x + y + i) % 3 !== 0) px[y * w + x] = 255;
  }
  return writeDicomFile([
    { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.6.1' },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.826.0.1.3680043.10.1561.78.1' },
    { tag: tag(0x0008, 0x0060), vr: 'CS', value: 'US' },
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Fakename^Alice' },
    { tag: tag(0x0010, 0x0020), vr: 'LO', value: 'MRN-000123' },
    { tag: tag(0x0028, 0x0002), vr: 'US', value: 1 },
    { tag: tag(0x0028, 0x0004), vr: 'CS', value: 'MONOCHROME2' },
    { tag: tag(0x0028, 0x0010), vr: 'US', value: h },
    { tag: tag(0x0028, 0x0011), vr: 'US', value: w },
    { tag: tag(0x0028, 0x0100), vr: 'US', value: 8 },
    { tag: tag(0x0028, 0x0101), vr: 'US', value: 8 },
    { tag: tag(0x0028, 0x0102), vr: 'US', value: 7 },
    { tag: tag(0x0028, 0x0103), vr: 'US', value: 0 },
    { tag: tag(0x7fe0, 0x0010), vr: 'OB', value: px },
  ]);
}

interface Row {
  key: string;
  depth: number;
  tag: string;
  name: string;
  vr: string;
  value: string;
}

/** Lists a parsed dataset as table rows, sequences expanded. */
function rows(ds: DataSet, depth = 0, prefix = ''): Row[] {
  const out: Row[] = [];
  for (const key of Object.keys(ds.elements).sort()) {
    if (key.startsWith('xfffe')) continue;
    const el = ds.elements[key]!;
    const t = `(${key.slice(1, 5).toUpperCase()},${key.slice(5).toUpperCase()})`;
    const vr = el.vr ?? '';
    let value: string;
    if (el.items) value = `${el.items.length} item${el.items.length === 1 ? '' : 's'}`;
    else if (key === 'x7fe00010') value = `${el.length} bytes`;
    else if (['US', 'SS'].includes(vr)) value = String(vr === 'US' ? ds.uint16(key) : ds.int16(key));
    else if (['OB', 'OW', 'UN', 'UL', 'FL', 'FD'].includes(vr)) value = `${el.length} bytes`;
    else value = ds.string(key) ?? '';
    out.push({ key: prefix + key, depth, tag: t, name: nameOf(key), vr, value });
    el.items?.forEach((item, i) => {
      if (item.dataSet) out.push(...rows(item.dataSet, depth + 1, `${prefix}${key}[${i}]/`));
    });
  }
  return out;
}

const styles = html`<style>
  .deid {
    font:
      12px/1.35 system-ui,
      sans-serif;
    color: #1d2430;
  }
  .deid .cols {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 16px;
    align-items: start;
  }
  .deid h3 {
    margin: 4px 0 6px;
    font-size: 13px;
  }
  .deid table {
    border-collapse: collapse;
    width: 100%;
  }
  .deid td,
  .deid th {
    border-bottom: 1px solid #e3e7ee;
    padding: 2px 6px;
    text-align: left;
    vertical-align: top;
  }
  .deid th {
    background: #f3f5f9;
  }
  .deid td.tag {
    font-family: ui-monospace, monospace;
    white-space: nowrap;
  }
  .deid td.value {
    font-family: ui-monospace, monospace;
    word-break: break-all;
  }
  .deid tr.removed td {
    color: #a12a2a;
    text-decoration: line-through;
  }
  .deid tr.changed td.value {
    background: #fff4c2;
  }
  .deid tr.added td {
    background: #e4f6e6;
  }
  .deid .viewer {
    height: 280px;
    display: grid;
    overflow: hidden;
    margin-bottom: 8px;
  }
  .deid .viewer vx-viewer {
    height: 100%;
    min-height: 0;
  }
  .deid .summary span {
    display: inline-block;
    margin-right: 10px;
  }
  .deid .error {
    color: #a12a2a;
    font-weight: 600;
  }
</style>`;

function table(list: Row[], other: Map<string, Row>, side: 'before' | 'after'): TemplateResult {
  return html`<table>
    <thead>
      <tr>
        <th>Tag</th>
        <th>Name</th>
        <th>VR</th>
        <th>Value</th>
      </tr>
    </thead>
    <tbody>
      ${list.map((r) => {
        const o = other.get(r.key);
        const cls =
          side === 'before'
            ? o === undefined
              ? 'removed'
              : o.value !== r.value
                ? 'changed'
                : ''
            : o === undefined
              ? 'added'
              : o.value !== r.value
                ? 'changed'
                : '';
        return html`<tr class=${cls}>
          <td class="tag" style="padding-left:${6 + r.depth * 14}px">${r.tag}</td>
          <td>${r.name}</td>
          <td>${r.vr}</td>
          <td class="value">${r.value}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function reportView(report: DeidentifyReport): TemplateResult {
  return html`<h3>Report</h3>
    <p class="summary">
      ${Object.entries(report.counts).map(([k, v]) => html`<span><b>${k}</b> ${v}</span>`)}
      <span><b>codes</b> ${report.methodCodes.join(', ')}</span>
      <span><b>transfer syntax</b> ${report.transferSyntaxUID}</span>
      <span
        ><b>burned-in</b> ${
          report.burnedInAnnotation.flagged
            ? `flagged (${report.burnedInAnnotation.reason}); ${report.burnedInAnnotation.regionsBlanked} region(s) blanked`
            : 'not flagged'
        }</span
      >
    </p>
    <table>
      <thead>
        <tr>
          <th>Path</th>
          <th>Name</th>
          <th>Action</th>
          <th>Changed</th>
        </tr>
      </thead>
      <tbody>
        ${report.entries.map(
          (e) =>
            html`<tr>
              <td class="tag">${e.path}</td>
              <td>${e.name}</td>
              <td>${e.action}</td>
              <td>${e.changed ? 'yes' : 'no'}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

interface Loaded {
  before: Row[];
  after?: Row[];
  report?: DeidentifyReport;
  beforeStack: ImageStack;
  afterStack?: ImageStack;
  error?: string;
}

function optionsOf(args: DeidArgs): DeidentifyOptions {
  return {
    salt: args.salt,
    ...(args.temporal === 'removed' ? {} : { retainLongitudinalTemporalInformation: args.temporal }),
    retainPatientCharacteristics: args.retainPatientCharacteristics,
    retainDeviceIdentity: args.retainDeviceIdentity,
    retainInstitutionIdentity: args.retainInstitutionIdentity,
    retainUIDs: args.retainUIDs,
    cleanDescriptors: args.cleanDescriptors,
    ...(args.patientId ? { patientId: args.patientId } : {}),
  };
}

async function run(input: Uint8Array, options: DeidentifyOptions): Promise<Loaded> {
  const before = rows(dicomParser.parseDicom(input) as DataSet);
  const beforeStack = await loadImageStack(input);
  try {
    const { bytes, report } = await deidentify(input, options);
    return {
      before,
      beforeStack,
      after: rows(dicomParser.parseDicom(new Uint8Array(bytes)) as DataSet),
      report,
      afterStack: await loadImageStack(bytes),
    };
  } catch (e) {
    if (e instanceof VoxmarkError) return { before, beforeStack, error: `${e.code}: ${e.message}` };
    throw e;
  }
}

function view(loaded: Loaded): TemplateResult {
  const beforeMap = new Map(loaded.before.map((r) => [r.key, r]));
  const afterMap = new Map((loaded.after ?? []).map((r) => [r.key, r]));
  return html`${styles}
    <div class="deid">
      <div class="cols">
        <section>
          <h3>Before</h3>
          <div class="viewer"><vx-viewer label="Original" .stack=${loaded.beforeStack}></vx-viewer></div>
          ${table(loaded.before, afterMap, 'before')}
        </section>
        <section>
          <h3>After</h3>
          ${
            loaded.error
              ? html`<p class="error">${loaded.error}</p>`
              : html`<div class="viewer">
                    <vx-viewer label="De-identified" .stack=${loaded.afterStack}></vx-viewer>
                  </div>
                  ${table(loaded.after!, beforeMap, 'after')}`
          }
        </section>
      </div>
      ${loaded.report ? reportView(loaded.report) : nothing}
    </div>`;
}

/** A CT slice with fake PHI, before and after, with the options as controls. */
export const BeforeAndAfter: Story = {
  name: 'Before and after, with the report',
  loaders: [async ({ args }) => ({ loaded: await run(fakePatientFile(), optionsOf(args as DeidArgs)) })],
  render: (_args, { loaded }) => view((loaded as { loaded: Loaded }).loaded),
};

/** An ultrasound frame with burned-in text: blanked through pixelRegions, BurnedInAnnotation becomes NO. */
export const BurnedInText: Story = {
  name: 'Burned-in text blanked',
  loaders: [
    async ({ args }) => ({
      loaded: await run(burnedInFile(), {
        ...optionsOf(args as DeidArgs),
        pixelRegions: [{ columns: 192, rows: 128, regions: [{ x: 0, y: 0, width: 192, height: 22 }] }],
      }),
    }),
  ],
  render: (_args, { loaded }) => view((loaded as { loaded: Loaded }).loaded),
};

/** Without regions, an instance that may carry burned-in text is refused. */
export const BurnedInRefused: Story = {
  name: 'Burned-in text refused by default',
  loaders: [async ({ args }) => ({ loaded: await run(burnedInFile(), optionsOf(args as DeidArgs)) })],
  render: (_args, { loaded }) => view((loaded as { loaded: Loaded }).loaded),
};

/** How many rows the rules were generated from, for the docs page. */
export const RuleCount: Story = {
  name: 'Rules generated from Table E.1-1',
  render: () =>
    html`<p style="font: 13px system-ui">
      ${DEID_RULES.length} rules, generated from DICOM PS3.15 Table E.1-1 by scripts/generate-deid-rules.mjs.
    </p>`,
};
