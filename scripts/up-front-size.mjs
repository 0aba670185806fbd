// The JavaScript a page of a host app loads before any of voxmark's lazy chunks, and what it is made of.
//
// `upFrontChunks(outDir)` reads Vite's build manifest (build.manifest: true) and returns the entry chunk of
// index.html with everything it imports statically. `attribute(outDir, chunks)` splits each chunk's bytes
// among the source modules its sourcemap names (build.sourcemap: true), gzip shared out in proportion to
// the minified bytes. Used by scripts/consumer-check.mjs for its size budget; also runs on its own over a
// kept consumer app (npm run check:consumer -- --keep):
//
//   node scripts/up-front-size.mjs /tmp/voxmark-consumer-XXXX/app/out [top]
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The entry chunk of index.html and its static imports, with their minified and gzip sizes. */
export function upFrontChunks(outDir) {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry && k.endsWith('index.html'));
  if (!entry) throw new Error('the Vite manifest has no entry for index.html');
  visit(entry);
  return [...seen].map((key) => {
    const file = join(outDir, manifest[key].file);
    const bytes = readFileSync(file);
    return { key, file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A sourcemap's `mappings` decoded (no dependency for it): per generated line, its segments as
 * `[generatedColumn, sourceIndex?]`, with the Base64 VLQ fields of the Source Map v3 format.
 */
export function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const lineText of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (!segment) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) {
        source += fields[1];
        segments.push([column, source]);
      } else segments.push([column]);
    }
    lines.push(segments);
  }
  return lines;
}

/** A source path shortened to the package (and voxmark's own module) it belongs to. */
function moduleName(source) {
  const s = source.replace(/\\/g, '/');
  const nm = s.lastIndexOf('node_modules/');
  if (nm < 0) return s.replace(/^(\.\.\/)+/, '');
  const rest = s.slice(nm + 'node_modules/'.length).split('/');
  const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  const inner = rest.slice(rest[0].startsWith('@') ? 2 : 1).join('/');
  // voxmark's own modules are named by file; a dependency as a whole.
  return pkg === 'voxmark' ? `voxmark/${inner.replace(/^dist\//, '')}` : pkg;
}

/** Bytes per source module over `chunks`: `[{ module, raw, gzip }]`, largest first. */
export function attribute(chunks) {
  const totals = new Map();
  const add = (name, raw, gzip) => {
    const t = totals.get(name) ?? { module: name, raw: 0, gzip: 0 };
    t.raw += raw;
    t.gzip += gzip;
    totals.set(name, t);
  };
  for (const chunk of chunks) {
    const code = readFileSync(chunk.file, 'utf8');
    const mapFile = `${chunk.file}.map`;
    if (!existsSync(mapFile)) {
      add(`(no sourcemap) ${chunk.key}`, chunk.raw, chunk.gzip);
      continue;
    }
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    const lines = code.split('\n');
    const perSource = new Map();
    decodeMappings(map.mappings).forEach((segments, line) => {
      const text = lines[line] ?? '';
      segments.forEach((seg, i) => {
        const end = i + 1 < segments.length ? segments[i + 1][0] : text.length;
        const name = seg.length > 1 ? moduleName(map.sources[seg[1]] ?? '?') : '(unmapped)';
        perSource.set(name, (perSource.get(name) ?? 0) + Buffer.byteLength(text.slice(seg[0], end)));
      });
    });
    const mapped = [...perSource.values()].reduce((a, b) => a + b, 0);
    for (const [name, raw] of perSource) add(name, raw, (chunk.gzip * raw) / Math.max(1, mapped));
  }
  return [...totals.values()].sort((a, b) => b.gzip - a.gzip);
}

/** Modules grouped by package (voxmark's by folder): `[{ module, raw, gzip }]`, largest first. */
export function byPackage(modules) {
  const groups = new Map();
  for (const m of modules) {
    const key = m.module.startsWith('voxmark/')
      ? m.module.split('/').slice(0, -1).join('/') || 'voxmark'
      : m.module;
    const g = groups.get(key) ?? { module: key, raw: 0, gzip: 0 };
    g.raw += m.raw;
    g.gzip += m.gzip;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.gzip - a.gzip);
}

export const kb = (n) => (n / 1024).toFixed(1);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? '.');
  const top = Number(process.argv[3] ?? 40);
  const chunks = upFrontChunks(outDir);
  const gz = chunks.reduce((a, c) => a + c.gzip, 0);
  const raw = chunks.reduce((a, c) => a + c.raw, 0);
  console.log(`up front: ${kb(gz)} KB gzip, ${kb(raw)} KB minified, ${chunks.length} chunk(s)`);
  for (const c of chunks)
    console.log(`  ${kb(c.gzip).padStart(6)} KB gzip  ${c.key} -> ${c.file.slice(dirname(outDir).length)}`);
  const modules = attribute(chunks);
  console.log('by package / folder:');
  for (const m of byPackage(modules).slice(0, top))
    console.log(`  ${kb(m.gzip).padStart(6)} KB gzip ${kb(m.raw).padStart(7)} KB min  ${m.module}`);
  console.log('by module:');
  for (const m of modules.slice(0, top))
    console.log(`  ${kb(m.gzip).padStart(6)} KB gzip ${kb(m.raw).padStart(7)} KB min  ${m.module}`);
}
