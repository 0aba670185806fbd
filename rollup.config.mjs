// Builds dist/: ESM entry points (index, core, define) with declarations, and lazily loaded chunks
// for the heavy codecs. Runtime dependencies stay external: the host's bundler resolves them.
import typescript from '@rollup/plugin-typescript';
import { readFileSync } from 'node:fs';
import { codecWasm } from './scripts/rollup-codec-wasm.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});
const isExternal = (id) => deps.some((d) => id === d || id.startsWith(`${d}/`));

export default {
  input: {
    index: 'src/index.ts',
    core: 'src/core/index.ts',
    define: 'src/define.ts',
  },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  external: isExternal,
  preserveEntrySignatures: 'strict',
  plugins: [
    typescript({
      tsconfig: './tsconfig.build.json',
      declaration: true,
      declarationDir: 'dist/types',
      outDir: 'dist',
      noEmitOnError: true,
    }),
    // Codec .wasm files next to their chunks, plus inline fallbacks (see the plugin's header).
    codecWasm(),
  ],
};
