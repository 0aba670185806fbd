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
    // Long functions read as named phases instead: no function in src/ over 80 lines, blank lines and
    // comments included.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.generated.ts'],
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
    },
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
    files: ['**/*.mjs', '**/*.js', '.storybook/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.commonjs } },
  },
);
