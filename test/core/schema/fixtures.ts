import type { LabelSchema } from '../../../src/core/schema/types.js';

/** A schema with a hierarchy, coded concepts and every attribute type. */
export const hierarchical: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] },
    {
      id: 'tumour',
      name: 'Tumour',
      color: '#00ff00',
      kinds: ['mask', 'polygon'],
      parent: 'lesion',
      category: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Altered Structure' },
      type: { value: '108369006', scheme: 'SCT', meaning: 'Neoplasm' },
      attributes: [
        { id: 'grade', name: 'Grade', type: 'enum', options: ['G1', 'G2', 'G3'], required: true },
        { id: 'size', name: 'Size (mm)', type: 'number', min: 0, max: 300, default: 10 },
        { id: 'confirmed', name: 'Confirmed', type: 'boolean', default: false },
        { id: 'note', name: 'Note', type: 'text', maxLength: 20 },
        { id: 'tags', name: 'Tags', type: 'enum', options: ['a', 'b', 'c'], multiple: true, default: 'a|c' },
      ],
    },
    { id: 'organ', name: 'Organ', color: '#0000ff', kinds: ['box'] },
  ],
};
