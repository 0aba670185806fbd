// Builds dist/: ESM entry points (index, core, define) with declarations, and lazily loaded chunks
// for the heavy codecs. Runtime dependencies stay external: the host's bundler resolves them.
//
// The WebAssembly codecs (@cornerstonejs/codec-*) are the exception: their Emscripten glue is bundled
// into voxmark's own lazy codec chunks, without the Node-only `require('fs')`/`require('path')` of the
// branch it never takes in a browser. A host's bundler then never meets those
// built-ins (Vite printed eight "externalized for browser compatibility" warnings per build), and the
// host installs no codec package.
import typescript from '@rollup/plugin-typescript';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { readFileSync } from 'node:fs';
import { codecWasm } from './scripts/rollup-codec-wasm.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});
const BUNDLED = /^@cornerstonejs\/codec-/;
/**
 * The Emscripten glue reads the .wasm with Node's fs in a branch only Node takes. Replace those requires
 * with an empty object so no bundler (rollup here, Vite or webpack in a host) resolves `fs` or `path`.
 */
function stripNodeRequires() {
  return {
    name: 'voxmark-strip-node-requires',
    transform(code, id) {
      if (!/node_modules[\\/]@cornerstonejs[\\/]codec-/.test(id)) return null;
      const out = code.replace(/require\((['"])(fs|path|crypto|ws|worker_threads)\1\)/g, '{}');
      return out === code ? null : { code: out, map: null };
    },
  };
}
const isExternal = (id) => !BUNDLED.test(id) && deps.some((d) => id === d || id.startsWith(`${d}/`));

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
    // One file per source module, so a host's bundler drops what the host does not import (one shared
    // chunk of everything made every page load the DICOMweb client, the writers and the effects).
    preserveModules: true,
    preserveModulesRoot: 'src',
    entryFileNames: (chunk) =>
      chunk.name === 'core' && chunk.isEntry && chunk.facadeModuleId?.endsWith('src/core/index.ts')
        ? 'core.js'
        : '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  external: isExternal,
  preserveEntrySignatures: 'strict',
  plugins: [
    nodeResolve({ browser: true, resolveOnly: [BUNDLED] }),
    stripNodeRequires(),
    commonjs({ include: /node_modules\/@cornerstonejs\//, strictRequires: false }),
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
