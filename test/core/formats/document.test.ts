import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import type { Annotation, MaskAnnotation, MaskRle } from '../../../src/core/annotation/types.js';
import { VoxmarkError } from '../../../src/core/errors.js';
import { createImageStack } from '../../../src/core/image/stack.js';
import {
  documentContext,
  parseDocument,
  readDocument,
  serializeDocument,
  type DocumentJSON,
} from '../../../src/core/formats/document.js';
import { encodeRle, maskToRegionRle } from '../../../src/core/mask/rle.js';
import { hierarchical } from '../schema/fixtures.js';
import type { Problem } from '../../../src/core/schema/parse.js';

const schema = hierarchical;

const W = 12;
const H = 10;

function blob(x0: number, y0: number, w: number, h: number): Uint8Array {
  const m = new Uint8Array(W * H);
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if ((x + y) % 3) m[y * W + x] = 1;
  return m;
}

function makeStack() {
  const frames = [0, 1, 2].map(() => new Int16Array(W * H));
  return createImageStack({
    width: W,
    height: H,
    frames,
    dataType: 'int16',
    spacing: [0.5, 0.5, 2],
    metadata: { studyInstanceUID: '1.2.3', seriesInstanceUID: '1.2.3.4', patientId: 'P1' },
  });
}

function makeDocument(): AnnotationDocument {
  const doc = new AnnotationDocument({ width: W, height: H, depth: 3 });
  doc.add({ label: 'lesion', kind: 'box', slice: 0, box: { x: 1, y: 2, width: 3, height: 4 } });
  doc.add({
    label: 'lesion',
    kind: 'polygon',
    slice: 1,
    points: [
      [0, 0],
      [5.5, 0],
      [5, 4.25],
    ],
    attributes: { note: 'x' },
  });
  doc.add({
    label: 'tumour',
    kind: 'mask',
    slice: 2,
    mask: { data: blob(2, 3, 5, 4) },
    attributes: { grade: 'G2' },
  });
  return doc;
}

describe('voxmark document format', () => {
  it('serializes the format version, generator, schema, image references and annotations', () => {
    const doc = makeDocument();
    const json = serializeDocument(doc, { schema, stack: makeStack() });
    expect(json.format).to.equal('voxmark-document');
    expect(json.version).to.equal(1);
    expect(json.generator.name).to.equal('voxmark');
    expect(json.schema).to.deep.equal(schema);
    expect(json.image).to.deep.include({
      width: W,
      height: H,
      depth: 3,
      studyInstanceUID: '1.2.3',
      patientId: 'P1',
    });
    expect(json.slices).to.deep.equal([{ frameNumber: 1 }, { frameNumber: 2 }, { frameNumber: 3 }]);
    expect(json.annotations.map((a) => a.kind)).to.deep.equal(['box', 'polygon', 'mask']);
    const mask = json.annotations[2]!.mask!;
    expect(mask).to.deep.equal(maskToRegionRle(blob(2, 3, 5, 4), W, H));
    for (const a of json.annotations) {
      expect(a.id).to.be.a('string').and.not.equal('');
      expect(a.createdAt).to.match(/^\d{4}-\d\d-\d\dT/);
      expect(a.updatedAt).to.be.a('string');
    }
  });

  it('round-trips exactly through JSON text', () => {
    const doc = makeDocument();
    const json = serializeDocument(doc, { schema, stack: makeStack() });
    const text = JSON.stringify(json);
    const back = parseDocument(text);
    expect(back.annotations.length).to.equal(3);
    expect(Array.from(back.getMask(back.annotations[2]!.id)!.data)).to.deep.equal(
      Array.from(blob(2, 3, 5, 4)),
    );
    expect(serializeDocument(back)).to.deep.equal(JSON.parse(text));
    expect(documentContext(back)!.schema).to.deep.equal(schema);
  });

  it('preserves fields it does not know, at every level', () => {
    const json = serializeDocument(makeDocument(), { schema, stack: makeStack() }) as DocumentJSON;
    const withExtras = structuredClone(json) as DocumentJSON & Record<string, unknown>;
    withExtras['reviewer'] = { name: 'Dr. A', signed: true };
    withExtras.generator['build'] = 'abc';
    (withExtras.image as Record<string, unknown>)['scanner'] = 'X';
    (withExtras.slices[0] as Record<string, unknown>)['acquisitionTime'] = '101010';
    (withExtras.annotations[1] as Record<string, unknown>)['score'] = 0.93;
    (withExtras.annotations[1] as Record<string, unknown>)['source'] = { model: 'unet', run: 7 };
    const doc = parseDocument(withExtras);
    expect(serializeDocument(doc)).to.deep.equal(withExtras);
    // Editing another annotation keeps the extras of the untouched one.
    doc.remove(doc.annotations[0]!.id);
    const again = serializeDocument(doc) as Record<string, unknown> & DocumentJSON;
    expect(again['reviewer']).to.deep.equal({ name: 'Dr. A', signed: true });
    expect(again.annotations[0]).to.deep.include({ score: 0.93, source: { model: 'unet', run: 7 } });
  });

  it('migrates a version 0 document', () => {
    const full = blob(1, 1, 4, 3);
    const v0 = {
      version: 0,
      width: W,
      height: H,
      depth: 2,
      labels: schema.labels,
      images: [{ sopInstanceUID: '1.2.3.4.5', frame: 1 }, { page: 1 }],
      annotations: [
        {
          id: 'a',
          labelId: 'lesion',
          type: 'box',
          sliceIndex: 0,
          bbox: [1, 2, 3, 4],
          created: '2024-01-01T00:00:00.000Z',
        },
        { id: 'b', labelId: 'lesion', type: 'polygon', sliceIndex: 1, polygon: [0, 0, 4, 0, 4, 4] },
        {
          id: 'c',
          labelId: 'tumour',
          type: 'mask',
          sliceIndex: 1,
          mask: encodeRle(full, W, H),
          attrs: { grade: 'G1' },
        },
      ],
    };
    const parsed = readDocument(v0);
    expect(parsed.sourceVersion).to.equal(0);
    expect(parsed.schema).to.deep.equal(schema);
    expect(parsed.slices).to.deep.equal([{ sopInstanceUID: '1.2.3.4.5', frameNumber: 1 }, { page: 1 }]);
    const [a, b, c] = parsed.document.annotations as Annotation[];
    expect(a).to.deep.include({
      id: 'a',
      label: 'lesion',
      kind: 'box',
      slice: 0,
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    expect(a!.box).to.deep.equal({ x: 1, y: 2, width: 3, height: 4 });
    expect(b!.points).to.deep.equal([
      [0, 0],
      [4, 0],
      [4, 4],
    ]);
    expect(c!.attributes).to.deep.equal({ grade: 'G1' });
    expect((c as MaskAnnotation).mask.bbox).to.deep.equal(maskToRegionRle(full, W, H)!.bbox);
    expect(Array.from(parsed.document.getMask('c')!.data)).to.deep.equal(Array.from(full));
    const v1 = serializeDocument(parsed.document);
    expect(v1.version).to.equal(1);
    expect(serializeDocument(parseDocument(v1))).to.deep.equal(v1);
  });

  it('rejects bad files with invalid-document listing every problem', () => {
    const json = serializeDocument(makeDocument(), { schema, stack: makeStack() }) as DocumentJSON;
    const bad = structuredClone(json) as unknown as Record<string, unknown> & {
      annotations: Record<string, unknown>[];
    };
    bad.annotations[0]!['kind'] = 'circle';
    bad.annotations[1]!['slice'] = -1;
    delete bad.annotations[2]!['mask'];
    let error: unknown;
    try {
      parseDocument(bad);
    } catch (e) {
      error = e;
    }
    expect(VoxmarkError.is(error, 'invalid-document')).to.equal(true);
    const paths = ((error as VoxmarkError).details as Problem[]).map((p) => p.path);
    expect(paths).to.include.members(['/annotations/0/kind', '/annotations/1/slice', '/annotations/2/mask']);

    const badSchema = {
      ...json,
      schema: { version: 1, labels: [{ id: 'x', name: 'X', color: 'red', kinds: ['box'] }] },
    };
    expect(() => parseDocument(badSchema))
      .to.throw()
      .with.property('code', 'invalid-document');
    expect(() => parseDocument('{'))
      .to.throw()
      .with.property('code', 'invalid-document');
    expect(() => parseDocument({ format: 'other' }))
      .to.throw()
      .with.property('code', 'invalid-document');
    expect(() => parseDocument({ ...json, version: 9 }))
      .to.throw()
      .with.property('code', 'unsupported');
    const corruptMask = structuredClone(json);
    (corruptMask.annotations[2]!.mask as MaskRle).rle = 'zz';
    expect(() => parseDocument(corruptMask))
      .to.throw()
      .with.property('code', 'invalid-document');
  });

  it('serialize never changes the document', () => {
    const doc = makeDocument();
    const before = JSON.stringify(doc.toJSON());
    const v = doc.version;
    serializeDocument(doc, { schema, stack: makeStack() });
    expect(() => serializeDocument(doc))
      .to.throw()
      .with.property('code', 'invalid-argument');
    expect(JSON.stringify(doc.toJSON())).to.equal(before);
    expect(doc.version).to.equal(v);
  });

  it('serialize → parse → serialize is identity for random documents', () => {
    const arbPoint = fc.tuple(
      fc.double({ min: -5, max: 20, noNaN: true }),
      fc.double({ min: -5, max: 20, noNaN: true }),
    );
    const arbAttrs = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__'),
      fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
      { maxKeys: 3 },
    );
    const arbAnn = fc.record({
      kind: fc.constantFrom('box' as const, 'polygon' as const, 'mask' as const),
      slice: fc.integer({ min: 0, max: 3 }),
      label: fc.constantFrom('lesion', 'tumour', 'unknown-label'),
      box: fc.record({
        x: fc.double({ min: 0, max: 10, noNaN: true }),
        y: fc.double({ min: 0, max: 10, noNaN: true }),
        width: fc.double({ min: 0, max: 10, noNaN: true }),
        height: fc.double({ min: 0, max: 10, noNaN: true }),
      }),
      points: fc.array(arbPoint, { minLength: 3, maxLength: 8 }),
      mask: fc.uint8Array({ minLength: W * H, maxLength: W * H, max: 1 }),
      attributes: fc.option(arbAttrs, { nil: undefined }),
      createdAt: fc
        .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
        .map((d) => d.toISOString()),
      extra: fc.option(fc.jsonValue(), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(arbAnn, { maxLength: 8 }),
        fc.option(fc.jsonValue(), { nil: undefined }),
        (anns, topExtra) => {
          const annotations = anns.map((r, i) => {
            const a: Record<string, unknown> = {
              id: `id-${i}`,
              label: r.label,
              kind: r.kind,
              slice: r.slice,
            };
            if (r.kind === 'box') a['box'] = r.box;
            if (r.kind === 'polygon') a['points'] = r.points;
            if (r.kind === 'mask') {
              r.mask[0] = 1; // never empty
              a['mask'] = maskToRegionRle(r.mask, W, H);
            }
            if (r.attributes) a['attributes'] = r.attributes;
            a['createdAt'] = r.createdAt;
            a['updatedAt'] = r.createdAt;
            if (r.extra !== undefined) a['x-extra'] = r.extra;
            return a;
          });
          const file: Record<string, unknown> = {
            format: 'voxmark-document',
            version: 1,
            generator: { name: 'test', version: '1' },
            schema,
            image: { format: 'dicom', width: W, height: H, depth: 4 },
            slices: [{ sopInstanceUID: '1.2' }, { sopInstanceUID: '1.3' }, { page: 2 }, {}],
            annotations,
          };
          if (topExtra !== undefined) file['x-top'] = topExtra;
          const normal = JSON.parse(JSON.stringify(file));
          const out = serializeDocument(parseDocument(normal));
          expect(JSON.parse(JSON.stringify(out))).to.deep.equal(normal);
        },
      ),
      { numRuns: 150 },
    );
  });
});
