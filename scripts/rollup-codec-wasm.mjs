// Rollup plugin for the lazily loaded WebAssembly codecs (src/core/image/codecs/).
//
// In the sources a codec finds its .wasm as
//   new URL('../../../../node_modules/<package>/dist/<file>.wasm', import.meta.url)
// which the test runner and dev servers serve as is. For dist/, this plugin copies each such file next to
// the codec chunks (dist/chunks/<file>.wasm) and rewrites the expression to a URL relative to the chunk,
// which stays the `new URL('<file>.wasm', import.meta.url)` pattern that Vite, webpack 5, Parcel and
// esbuild's file loader recognise in a consumer's build.
//
// It also fills the `codecs/inline/*.ts` modules (empty in the sources) with the base64 binary named in
// their `// wasm: <package path>` comment: a separate chunk that is only fetched when the .wasm next to
// the code cannot be (a dev server that pre-bundles dependencies into another folder, for example).
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const URL_PATTERN =
  /new URL\(\s*(['"])(?:\.\.\/)+node_modules\/([^'"]+\.wasm)\1\s*,\s*import\.meta\.url\s*,?\s*\)/g;

export function codecWasm({ root = process.cwd() } = {}) {
  const emitted = new Map();
  return {
    name: 'voxmark-codec-wasm',
    transform(code, id) {
      const path = id.replace(/\\/g, '/');
      if (!path.includes('/src/core/image/codecs/')) return null;
      if (/\/codecs\/inline\/[\w-]+\.[jt]s$/.test(path)) {
        const m = /\/\/ wasm: (\S+\.wasm)/.exec(code);
        if (!m) this.error(`${id}: no "// wasm: <path>" comment`);
        const b64 = readFileSync(resolve(root, 'node_modules', m[1])).toString('base64');
        return { code: `const wasm = ${JSON.stringify(b64)};\nexport default wasm;\n`, map: null };
      }
      if (!URL_PATTERN.test(code)) return null;
      URL_PATTERN.lastIndex = 0;
      const out = code.replace(URL_PATTERN, (_all, _q, rel) => {
        const file = resolve(root, 'node_modules', rel);
        let ref = emitted.get(file);
        if (!ref) {
          ref = this.emitFile({
            type: 'asset',
            fileName: `chunks/${basename(file)}`,
            source: readFileSync(file),
          });
          emitted.set(file, ref);
        }
        return `new URL(import.meta.ROLLUP_FILE_URL_${ref})`;
      });
      return { code: out, map: null };
    },
    buildStart() {
      emitted.clear();
    },
  };
}
