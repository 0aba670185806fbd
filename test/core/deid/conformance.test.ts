/**
 * De-identified output is never less conformant than its input: dciodvfy reports no error for the output
 * that it did not report for the input. The files are the corpus DICOM files that de-identify without pixel
 * regions, the synthetic CT slice, and a corpus CT given a General Study Referenced Study Sequence and a
 * Clinical Trial Subject module (the attributes whose removal is easy to get wrong: a Type 3 sequence the
 * profile says X/Z, and the Type 1C Ethics Committee Name whose condition, the Approval Number, is removed).
 */
import { expect } from '@open-wc/testing';
import { deidentify } from '../../../src/core/deid/index.js';
import type { DeidentifyOptions } from '../../../src/core/deid/types.js';
import { elementsFromDataSet } from '../../../src/core/dicom/reader.js';
import { tag } from '../../../src/core/dicom/tags.js';
import { writeDicomFile, type DicomDataset } from '../../../src/core/dicom/writer.js';
import { ErrorCode, VoxmarkError } from '../../../src/core/errors.js';
import { parseDicomBytes } from '../../../src/core/image/dicom/parse.js';
import { checkWithTool, dicom3toolsErrors } from '../../helpers/check-tool.js';
import { corpusBytes } from '../../helpers/corpus.js';
import { ctSlice } from './fixtures.js';

/** A corpus CT with a Referenced Study Sequence and a Clinical Trial Subject module. */
async function clinicalTrialCt(): Promise<Uint8Array> {
  const parsed = await parseDicomBytes(await corpusBytes('dicom/CT_small.dcm'));
  const ds: DicomDataset = elementsFromDataSet(parsed.dataSet, {
    transferSyntaxUID: parsed.transferSyntaxUID,
  });
  const lo = (g: number, e: number, value: string) => ({ tag: tag(g, e), vr: 'LO' as const, value });
  ds.push(
    {
      tag: tag(0x0008, 0x1110),
      vr: 'SQ',
      value: [
        [
          { tag: tag(0x0008, 0x1150), vr: 'UI', value: '1.2.840.10008.3.1.2.3.1' },
          { tag: tag(0x0008, 0x1155), vr: 'UI', value: '1.2.826.0.1.3680043.8.9.1' },
        ],
      ],
    },
    lo(0x0012, 0x0010, 'Sponsor Inc'),
    lo(0x0012, 0x0020, 'PROTO-1'),
    lo(0x0012, 0x0021, 'Protocol one'),
    lo(0x0012, 0x0030, 'SITE-9'),
    lo(0x0012, 0x0031, 'Site nine'),
    lo(0x0012, 0x0040, 'SUBJ-77'),
    lo(0x0012, 0x0081, 'Ethics Board of Somewhere'),
    lo(0x0012, 0x0082, 'EC-2024-17'),
  );
  return writeDicomFile(ds);
}

const FILES: [string, () => Promise<Uint8Array>][] = [
  ['CT with a Referenced Study Sequence and a clinical trial', clinicalTrialCt],
  [
    'synthetic CT slice',
    async () => ctSlice({ sopInstanceUID: '1.2.826.0.1.3680043.8.1.9', instanceNumber: 1, z: 0 }),
  ],
  ...[
    'CT_small.dcm',
    'MR_small.dcm',
    'MR_small_implicit.dcm',
    'MR_small_bigendian.dcm',
    'MR_small_RLE.dcm',
    'JPEG2000.dcm',
    'JPGExtended.dcm',
    'liver_1frame.dcm',
    'rtdose.dcm',
  ].map((f): [string, () => Promise<Uint8Array>] => [f, () => corpusBytes(`dicom/${f}`)]),
];

const OPTION_SETS: [string, DeidentifyOptions][] = [
  ['the Basic Profile', { salt: 'conformance' }],
  [
    'retained institution identity and UIDs, cleaned descriptors',
    { salt: 'conformance', retainInstitutionIdentity: true, retainUIDs: true, cleanDescriptors: true },
  ],
];

/** dciodvfy's error lines that `after` has more often than `before`. */
function added(before: string[], after: string[]): string[] {
  const left = new Map<string, number>();
  for (const l of before) left.set(l, (left.get(l) ?? 0) + 1);
  return after.filter((l) => {
    const n = left.get(l) ?? 0;
    left.set(l, n - 1);
    return n <= 0;
  });
}

describe('deidentify: no new dciodvfy errors', () => {
  for (const [name, load] of FILES) {
    it(`${name}`, async function () {
      const input = await load();
      const before = await checkWithTool('dciodvfy', input);
      if (!before.available) this.skip(); // dicom3tools (dciodvfy) is not installed here
      for (const [optionsName, options] of OPTION_SETS) {
        let output: Uint8Array;
        try {
          output = new Uint8Array((await deidentify(input, options)).bytes);
        } catch (e) {
          // Refusals (burned-in text without pixel regions) write nothing, so they add no error.
          expect(VoxmarkError.is(e, ErrorCode.BurnedInAnnotation), String(e)).to.equal(true);
          continue;
        }
        const after = await checkWithTool('dciodvfy', output);
        const errorsBefore = dicom3toolsErrors(before);
        const errorsAfter = dicom3toolsErrors(after);
        expect(
          added(errorsBefore, errorsAfter),
          `${optionsName}: errors the input did not have`,
        ).to.deep.equal([]);
        expect(errorsAfter.length, optionsName).to.be.at.most(errorsBefore.length);
      }
    });
  }

  it('removes an X/Z Type 3 sequence, and the Ethics Committee Name with its Approval Number', async () => {
    const { bytes, report } = await deidentify(await clinicalTrialCt(), { salt: 'conformance' });
    const out = (await parseDicomBytes(new Uint8Array(bytes))).dataSet;
    expect(out.elements['x00081110'], 'Referenced Study Sequence').to.equal(undefined);
    expect(out.elements['x00120082'], 'Approval Number').to.equal(undefined);
    expect(out.elements['x00120081'], 'Ethics Committee Name').to.equal(undefined);
    const entry = report.entries.find((e) => e.path === '(0012,0081)');
    expect(entry?.action).to.equal('X');
  });

  it('keeps an emptied Acquisition Context Sequence, which is Type 2 where its module is used', async () => {
    const ds: DicomDataset = [
      { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
      { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.826.0.1.3680043.8.1.10' },
      {
        tag: tag(0x0040, 0x0555),
        vr: 'SQ',
        value: [[{ tag: tag(0x0040, 0xa160), vr: 'UT', value: 'Scanned at Somewhere Hospital' }]],
      },
    ];
    const { bytes } = await deidentify(writeDicomFile(ds), { salt: 'conformance' });
    const out = (await parseDicomBytes(new Uint8Array(bytes))).dataSet;
    expect(out.elements['x00400555'], 'Acquisition Context Sequence').not.to.equal(undefined);
    expect(out.elements['x00400555']!.items ?? []).to.deep.equal([]);
  });
});
