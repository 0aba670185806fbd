/**
 * Bad input never crashes de-identification: truncated and corrupted DICOM and TIFF bytes either
 * de-identify or reject with a VoxmarkError, and whatever comes out still parses.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import dicomParser from '../../../src/core/dicom/dicom-parser.js';
import { deidentify } from '../../../src/core/deid/index.js';
import { deidentifyTiff } from '../../../src/core/deid/tiff.js';
import { VoxmarkError } from '../../../src/core/errors.js';
import { corpusBytes } from '../../helpers/corpus.js';
import { ctSlice } from './fixtures.js';
import { buildTiff } from '../../helpers/tiff-builder.js';

async function outcome(p: Promise<{ bytes: ArrayBuffer }>): Promise<'ok' | 'error'> {
  try {
    const { bytes } = await p;
    dicomParser.parseDicom(new Uint8Array(bytes));
    return 'ok';
  } catch (e) {
    if (e instanceof VoxmarkError) return 'error';
    throw e;
  }
}

describe('deidentify: hostile input', () => {
  it('rejects the truncated corpus file with a VoxmarkError', async () => {
    const bytes = await corpusBytes('dicom/MR_truncated.dcm');
    expect(await outcome(deidentify(bytes, { salt: 's' }))).to.equal('error');
  });

  it('survives random corruption and truncation of a DICOM file', async () => {
    const base = ctSlice({ sopInstanceUID: '1.2.3', instanceNumber: 1, z: 0 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.nat({ max: 255 })), { maxLength: 12 }),
        fc.nat({ max: base.length }),
        async (edits, cut) => {
          const bytes = base.slice(0, Math.max(cut, 140));
          for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
          await outcome(deidentify(bytes, { salt: 's' }));
        },
      ),
      { numRuns: 150, seed: 4242 },
    );
  });

  it('survives random corruption and truncation of a TIFF file', async () => {
    const base = await buildTiff([
      {
        width: 6,
        height: 4,
        data: new Uint8Array(24),
        description: 'Jane Doe',
        extraTags: [{ tag: 315, type: 2, values: 'A' }],
      },
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.nat({ max: 255 })), { maxLength: 8 }),
        fc.nat({ max: base.length }),
        (edits, cut) => {
          const bytes = base.slice(0, Math.max(cut, 8));
          for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
          try {
            deidentifyTiff(bytes);
          } catch (e) {
            if (!(e instanceof VoxmarkError)) throw e;
          }
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });
});
