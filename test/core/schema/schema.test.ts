import { expect } from '@open-wc/testing';
import { parseLabelSchema, labelSchemaProblems, type Problem } from '../../../src/core/schema/parse.js';
import { validateDocument } from '../../../src/core/schema/validate.js';
import { compiledSchemas } from '../../../src/core/schema/validators.generated.js';
import { maskToRegionRle } from '../../../src/core/mask/rle.js';
import { VoxmarkError } from '../../../src/core/errors.js';
import type { AnnotationFields } from '../../../src/core/annotation/types.js';
import { hierarchical } from './fixtures.js';

function codesAndPaths(problems: Problem[]) {
  return problems.map((p) => `${p.code} ${p.path}`).sort();
}

function caught(fn: () => unknown): VoxmarkError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VoxmarkError) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('parseLabelSchema', () => {
  it('accepts a hierarchical schema with every attribute type and returns a copy', () => {
    const parsed = parseLabelSchema(hierarchical);
    expect(parsed).to.deep.equal(hierarchical);
    expect(parsed).not.to.equal(hierarchical);
  });

  it('the compiled validators are built from the published JSON Schemas', async () => {
    const label = await (await fetch('/docs/schemas/label-schema.json')).json();
    const doc = await (await fetch('/docs/schemas/document.json')).json();
    expect(compiledSchemas.validateLabelSchemaJson).to.deep.equal(label);
    expect(compiledSchemas.validateDocumentJson).to.deep.equal(doc);
  });

  it('lists every structural problem with its JSON path, not just the first', () => {
    const bad = {
      version: 2,
      labels: [
        { id: 'a b', name: '', color: 'red', kinds: ['box', 'circle'] },
        { id: 'x', name: 'X', color: '#000000', kinds: [], extra: 1 },
        {
          id: 'y',
          name: 'Y',
          color: '#000000',
          kinds: ['mask'],
          attributes: [
            { id: 'e', name: 'E', type: 'enum' },
            { id: 'n', name: 'N', type: 'number', min: 'zero' },
            { id: 't', name: 'T', type: 'colour' },
          ],
        },
      ],
    };
    const e = caught(() => parseLabelSchema(bad));
    expect(e.code).to.equal('invalid-schema');
    const paths = (e.details as Problem[]).map((p) => p.path);
    expect(paths).to.include.members([
      '/version',
      '/labels/0/id',
      '/labels/0/name',
      '/labels/0/color',
      '/labels/0/kinds/1',
      '/labels/1/kinds',
      '/labels/1/extra',
      '/labels/2/attributes/0/options',
      '/labels/2/attributes/1/min',
      '/labels/2/attributes/2/type',
    ]);
    expect((e.details as Problem[]).every((p) => p.code === 'schema')).to.equal(true);
  });

  it('rejects non-objects with a problem at the root', () => {
    expect(codesAndPaths(labelSchemaProblems(null))).to.deep.equal(['schema /']);
    expect(caught(() => parseLabelSchema('labels')).code).to.equal('invalid-schema');
  });

  it('reports semantic problems: duplicate ids, unknown parents, cycles, bad defaults and ranges', () => {
    const bad = {
      version: 1,
      labels: [
        { id: 'a', name: 'A', color: '#000000', kinds: ['box'], parent: 'c' },
        { id: 'b', name: 'B', color: '#000000', kinds: ['box'], parent: 'a' },
        { id: 'c', name: 'C', color: '#000000', kinds: ['box'], parent: 'b' },
        { id: 'a', name: 'A2', color: '#000000', kinds: ['box'] },
        {
          id: 'd',
          name: 'D',
          color: '#000000',
          kinds: ['box'],
          parent: 'nope',
          attributes: [
            { id: 'e', name: 'E', type: 'enum', options: ['x', 'y'], default: 'z' },
            { id: 'm', name: 'M', type: 'enum', options: ['x', 'y'], multiple: true, default: 'x|q' },
            { id: 'n', name: 'N', type: 'number', min: 5, max: 1, default: 9 },
            { id: 't', name: 'T', type: 'text', maxLength: 2, default: 'long' },
            { id: 'e', name: 'E again', type: 'boolean' },
          ],
        },
      ],
    };
    expect(codesAndPaths(labelSchemaProblems(bad))).to.deep.equal(
      [
        'duplicate-id /labels/3/id',
        'parent-cycle /labels/0/parent',
        'parent-cycle /labels/1/parent',
        'parent-cycle /labels/2/parent',
        'unknown-parent /labels/4/parent',
        'invalid-default /labels/4/attributes/0/default',
        'invalid-default /labels/4/attributes/1/default',
        'invalid-range /labels/4/attributes/2/min',
        'invalid-default /labels/4/attributes/2/default',
        'invalid-default /labels/4/attributes/3/default',
        'duplicate-id /labels/4/attributes/4/id',
      ].sort(),
    );
  });
});

describe('validateDocument', () => {
  const W = 8;
  const H = 8;
  const square = new Uint8Array(W * H);
  square[2 * W + 3] = 1;
  square[3 * W + 3] = 1;
  const mask = maskToRegionRle(square, W, H)!;

  it('finds no problem in a valid document', () => {
    const annotations: AnnotationFields[] = [
      { id: '1', label: 'organ', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 2, height: 3 } },
      {
        id: '2',
        label: 'tumour',
        kind: 'mask',
        slice: 1,
        mask,
        attributes: { grade: 'G2', size: 12, tags: 'b|c' },
      },
      {
        id: '3',
        label: 'tumour',
        kind: 'polygon',
        slice: 1,
        points: [
          [0, 0],
          [4, 0],
          [4, 4],
        ],
        attributes: { grade: 'G1', confirmed: true, note: 'ok' },
      },
    ];
    expect(validateDocument({ annotations }, hierarchical, { depth: 2 })).to.deep.equal([]);
  });

  it('reports every problem of every annotation', () => {
    const empty = { rle: '9', bbox: [0, 0, 3, 3] as [number, number, number, number] };
    const annotations: AnnotationFields[] = [
      { id: 'a', label: 'ghost', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } },
      { id: 'b', label: 'organ', kind: 'mask', slice: 0, mask },
      { id: 'c', label: 'tumour', kind: 'mask', slice: 5, mask: empty, attributes: { size: 500, extra: 1 } },
      {
        id: 'd',
        label: 'tumour',
        kind: 'mask',
        slice: 0,
        mask,
        attributes: {
          grade: 'G9',
          size: 'big',
          confirmed: 'yes',
          note: 'far too long for this',
          tags: 'a|a',
        },
      },
      { id: 'd', label: 'organ', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 0, height: 2 } },
      { id: 'f', label: 'tumour', kind: 'polygon', slice: 0, attributes: { grade: 'G1' } },
    ];
    const problems = validateDocument({ annotations }, hierarchical, { depth: 2 });
    expect(codesAndPaths(problems)).to.deep.equal(
      [
        'unknown-label /annotations/0/label',
        'kind-not-allowed /annotations/1/kind',
        'slice-out-of-range /annotations/2/slice',
        'empty-mask /annotations/2/mask',
        'missing-attribute /annotations/2/attributes/grade',
        'out-of-range /annotations/2/attributes/size',
        'unknown-attribute /annotations/2/attributes/extra',
        'out-of-range /annotations/3/attributes/grade',
        'wrong-type /annotations/3/attributes/size',
        'wrong-type /annotations/3/attributes/confirmed',
        'out-of-range /annotations/3/attributes/note',
        'out-of-range /annotations/3/attributes/tags',
        'duplicate-id /annotations/4/id',
        'empty-geometry /annotations/4/box',
        'missing-geometry /annotations/5/points',
      ].sort(),
    );
    expect(problems.find((p) => p.path === '/annotations/2/slice')!.annotationId).to.equal('c');
  });

  it('reports a mask whose RLE cannot be decoded', () => {
    const annotations: AnnotationFields[] = [
      { id: 'x', label: 'lesion', kind: 'mask', slice: 0, mask: { rle: '\u0001', bbox: [0, 0, 2, 2] } },
    ];
    expect(codesAndPaths(validateDocument({ annotations }, hierarchical))).to.deep.equal([
      'empty-mask /annotations/0/mask/rle',
    ]);
  });
});
