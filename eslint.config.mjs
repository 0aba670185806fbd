import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

// DOM and browser globals that DOM-free code must not touch.
const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'HTMLElement',
  'customElements',
  'requestAnimationFrame',
  'localStorage',
  'sessionStorage',
  'location',
  'HTMLCanvasElement',
  'CanvasRenderingContext2D',
  'Image',
  'ImageData',
  'getComputedStyle',
  'ResizeObserver',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'storybook-static/',
      'custom-elements.json',
      'src/core/deid/rules.generated.ts',
      '.tmp/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/elements/**/*.ts', 'src/render/**/*.ts', 'stories/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['src/elements/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    // src/core is DOM-free: no Lit, no Konva, no DOM globals. It must run in a worker or in Node.
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: { ...globals.worker } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['lit', 'lit/*', '@lit/*', 'konva', 'konva/*'],
              message: 'src/core is DOM-free: no Lit or Konva here.',
            },
            {
              group: ['**/render/**', '**/elements/**', '../render/*', '../elements/*'],
              message: 'Imports go down only: core must not import render or elements.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...DOM_GLOBALS.map((name) => ({ name, message: 'src/core is DOM-free.' })),
      ],
    },
  },
  {
    // Long functions read as named phases instead: no function in the core over 80 lines.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.generated.ts'],
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
    },
  },
  {
    // TEMPORARY: these files hold functions over 80 lines that are being split into named phases in a
    // parallel change (toDicomSeg and fromDicomSeg in seg.ts, the TIFF load and checkBlocks, the
    // de-identification run, walkDataset and cleanIfd, readCoco, and parseDicomBytes, checkSequenceDepth,
    // readImageInfo and buildDicomStack on the DICOM load path). Remove each file from this list as it
    // lands, then the whole block.
    files: [
      'src/core/formats/seg.ts',
      'src/core/formats/coco.ts',
      'src/core/image/tiff/index.ts',
      'src/core/deid/index.ts',
      'src/core/deid/engine.ts',
      'src/core/deid/tiff.ts',
      'src/core/image/dicom/parse.ts',
      'src/core/image/dicom/depth.ts',
      'src/core/image/dicom/instance.ts',
      'src/core/image/dicom/stack.ts',
    ],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['src/render/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/elements/**'], message: 'render must not import elements.' },
            {
              group: ['lit', 'lit/*', '@lit/*'],
              message: 'render takes narrow inputs and knows no Lit: element contracts live in src/elements.',
            },
          ],
        },
      ],
    },
  },
  {
    // Elements and renderers read as a list of named steps: a longer function is split into phases.
    files: ['src/elements/**/*.ts', 'src/render/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '.storybook/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.commonjs } },
  },
);
