// Dev-server plugins shared by the test runner and the benchmarks: TypeScript through esbuild,
// CommonJS/UMD packages (dicom-parser, the Emscripten codecs) through rollup's commonjs plugin,
// Node built-ins replaced by empty modules, and the reference corpus served at /corpus/.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const commonjs = fromRollup(rollupCommonjs);
const root = fileURLToPath(new URL('..', import.meta.url));

/** Node built-ins that browser code paths of our dependencies mention but never call. */
export const NODE_BUILTINS = [
  'fs',
  'path',
  'http',
  'https',
  'url',
  'zlib',
  'web-worker',
  'crypto',
  'module',
  'worker_threads',
];

/** Where the reference corpus lives: `$VOXMARK_CORPUS`, or `../shared/corpus` beside the project. */
export const corpusDir = resolve(process.env.VOXMARK_CORPUS ?? resolve(root, '..', 'shared', 'corpus'));

function emptyBuiltinsPlugin() {
  const prefix = '/__voxmark_empty__/';
  return {
    name: 'voxmark-empty-builtins',
    resolveImport({ source }) {
      const bare = source.replace(/^node:/, '');
      if (NODE_BUILTINS.includes(bare)) return `${prefix}${bare}.js`;
      return undefined;
    },
    serve(context) {
      if (context.path.startsWith(prefix)) {
        return { body: 'const empty = {};\nexport default empty;\n', type: 'js' };
      }
      return undefined;
    },
  };
}

function corpusPlugin() {
  return {
    name: 'voxmark-corpus',
    serve(context) {
      if (!context.path.startsWith('/corpus/')) return undefined;
      const rel = decodeURIComponent(context.path.slice('/corpus/'.length));
      const file = resolve(corpusDir, rel);
      if (!file.startsWith(corpusDir + sep) || !existsSync(file) || !statSync(file).isFile())
        return undefined;
      return {
        body: readFileSync(file),
        type: file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        headers: { 'cache-control': 'no-cache' },
      };
    },
  };
}

export function devServerPlugins() {
  return [
    emptyBuiltinsPlugin(),
    corpusPlugin(),
    esbuildPlugin({ ts: true, tsconfig: resolve(root, 'tsconfig.json'), target: 'es2022' }),
    commonjs({
      include: [
        '**/node_modules/dicom-parser/**',
        '**/node_modules/@cornerstonejs/**',
        '**/node_modules/jpeg-lossless-decoder-js/release/cjs/**',
      ],
      strictRequires: false,
    }),
  ];
}
