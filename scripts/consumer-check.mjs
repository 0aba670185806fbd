// End-to-end check that the published package works for a consumer (npm run check:consumer):
//
//   1. build the package (rollup) unless --no-build, and `npm pack` it;
//   2. create a fresh Vite app in a temporary folder and `npm install` the tarball into it;
//   3. in Chromium, import `loadImageStack` from 'voxmark' and decode a JPEG-LS and a JPEG 2000 corpus file
//      (in the page, then again through a decode worker the app builds from `serveDecodeRequests`),
//      once from `vite build` + `vite preview` and once from the `vite` dev server;
//   4. compare the decoded frames with the corpus references and report where each codec's .wasm came from
//      (the file next to the codec chunk, or the inline fallback chunk);
//   5. with 'voxmark/define.js', show the JPEG-LS file in a <vx-viewer> (its canvas must hold an image) and
//      export a box from the viewer's document with toCoco;
//   6. fail on any warning Vite prints while building or serving the app (a host's build must stay quiet),
//      and report the JavaScript the page loads up front (entry chunk and its static imports, gzip).
//
// `npm pack` builds the package itself (the `prepack` script); --no-build packs the dist/ already there.
//
// Exits non-zero on any failure. Vite and playwright-core are this project's own dev dependencies; the
// consumer app gets only the tarball (and, through it, voxmark's runtime dependencies).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = resolve(process.env.VOXMARK_CORPUS ?? resolve(root, '..', 'shared', 'corpus'));
const FILES = ['MR_small_jpeg_ls_lossless.dcm', 'JPEG2000.dcm'];
const keep = process.argv.includes('--keep');
const noBuild = process.argv.includes('--no-build');

function log(message) {
  console.log(`consumer-check: ${message}`);
}

function run(cmd, args, cwd) {
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const MAIN_JS = `
import { loadImageStack, parseLabelSchema, toCoco, VoxmarkError } from 'voxmark';
import { createDecodeWorkerPool } from 'voxmark/core';
import 'voxmark/define.js';

const FILES = ${JSON.stringify(FILES)};
async function decodeAll(options) {
  const results = {};
  for (const name of FILES) {
    const bytes = new Uint8Array(await (await fetch('/corpus/' + name)).arrayBuffer());
    const stack = await loadImageStack(bytes, options);
    const frame = await stack.getFrame(0);
    const ref = new Int16Array(await (await fetch('/corpus/' + name + '.f0.raw')).arrayBuffer());
    let maxDiff = 0;
    let sumDiff = 0;
    for (let i = 0; i < ref.length; i++) {
      const d = Math.abs(frame.data[i] - ref[i]);
      sumDiff += d;
      if (d > maxDiff) maxDiff = d;
    }
    results[name] = {
      width: frame.width,
      height: frame.height,
      samples: frame.data.length,
      expectedSamples: ref.length,
      dataType: stack.dataType,
      maxDiff,
      meanDiff: sumDiff / ref.length,
    };
  }
  return results;
}
/** The elements as a host uses them: a viewer shows a compressed file, and its document exports to COCO. */
async function viewerCheck() {
  const viewer = document.createElement('vx-viewer');
  viewer.style.cssText = 'display:block;width:256px;height:256px';
  document.body.append(viewer);
  const loaded = new Promise((resolve, reject) => {
    viewer.addEventListener('vx-load', resolve, { once: true });
    viewer.addEventListener('vx-error', (e) => reject(e.detail.error), { once: true });
  });
  viewer.src = '/corpus/' + FILES[0];
  await loaded;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const greys = new Set();
  for (const canvas of viewer.shadowRoot.querySelectorAll('canvas')) {
    const { width, height } = canvas;
    if (!width || !height) continue;
    const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    for (let i = 0; i < data.length; i += 4) greys.add(data[i]);
  }
  viewer.labelSchema = parseLabelSchema({
    version: 1,
    labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] }],
  });
  viewer.document.add({ label: 'lesion', kind: 'box', slice: 0, box: { x: 4, y: 5, width: 6, height: 7 } });
  const coco = toCoco(viewer.document, viewer.stack, viewer.labelSchema);
  return {
    defined: customElements.get('vx-viewer') !== undefined,
    distinctGreys: greys.size,
    cocoBoxes: coco.annotations.map((a) => a.bbox),
  };
}

async function check() {
  const results = await decodeAll({});
  results.viewer = await viewerCheck();
  // The same files through a decode worker built by the host's bundler.
  let workerAnswered = false;
  const pool = createDecodeWorkerPool(() => {
    const worker = new Worker(new URL('./decode-worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', () => { workerAnswered = true; });
    return worker;
  });
  try {
    results.worker = await decodeAll({ decodePool: pool });
    results.worker.answered = workerAnswered;
  } finally {
    pool.terminate();
  }
  const resources = performance.getEntriesByType('resource').map((e) => e.name.split('?')[0].split('/').pop());
  results.wasmFetched = resources.filter((n) => n.endsWith('.wasm'));
  // The inline fallback chunks (base64 WebAssembly) are only fetched when a .wasm file was not usable.
  results.inlineChunks = resources.filter((n) => /^(charls|openjpeg|openjph|libjpeg-turbo)-.*\\.js$/.test(n));
  results.voxmarkErrorIsClass = typeof VoxmarkError === 'function';
  return results;
}
check().then(
  (r) => { window.__voxmark = { ok: true, result: r }; },
  (e) => { window.__voxmark = { ok: false, error: String(e && e.stack || e) }; },
);
`;

const WORKER_JS = `
import { serveDecodeRequests } from 'voxmark/core';
serveDecodeRequests();
`;

function makeApp(dir, tarball) {
  mkdirSync(join(dir, 'public', 'corpus'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'voxmark-consumer-check', private: true, type: 'module' }, null, 2),
  );
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>voxmark consumer</title></head>' +
      '<body><script type="module" src="/main.js"></script></body></html>\n',
  );
  writeFileSync(join(dir, 'main.js'), MAIN_JS);
  writeFileSync(join(dir, 'decode-worker.js'), WORKER_JS);
  for (const f of FILES) {
    copyFileSync(join(corpus, 'dicom', f), join(dir, 'public', 'corpus', f));
    copyFileSync(join(corpus, 'expected', `${f}.f0.raw`), join(dir, 'public', 'corpus', `${f}.f0.raw`));
  }
  log(`installing ${tarball} into ${dir}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], dir);
}

/** `expected404`: failed loads that the run provokes on purpose (removed .wasm files). */
async function inBrowser(url, expected404 = /$^/) {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Console warnings and errors the page logs (Lit's dev-mode notes among them), except Lit's one-line
    // reminder that it runs in dev mode, which every Lit app shows under a dev server.
    const consoleProblems = [];
    page.on('console', (m) => {
      if (m.type() !== 'warning' && m.type() !== 'error') return;
      const text = `${m.text().split('\n')[0]} (${m.location().url})`;
      if (/Lit is in dev mode|favicon\.ico/.test(text) || expected404.test(text)) return;
      consoleProblems.push(`${m.type()}: ${text}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__voxmark !== undefined, null, { timeout: 120_000 });
    const outcome = await page.evaluate(() => globalThis.__voxmark);
    if (errors.length) outcome.pageErrors = errors;
    if (consoleProblems.length) outcome.consoleProblems = consoleProblems;
    return outcome;
  } finally {
    await browser.close();
  }
}

function judge(mode, outcome) {
  const problems = [];
  if (!outcome.ok) problems.push(outcome.error);
  else {
    for (const [where, results] of [
      ['page', outcome.result],
      ['worker', outcome.result.worker],
    ]) {
      for (const name of FILES) {
        const r = results?.[name];
        if (!r) problems.push(`${where} ${name}: no result`);
        else if (r.samples !== r.expectedSamples)
          problems.push(`${where} ${name}: ${r.samples} samples, expected ${r.expectedSamples}`);
        else if (r.meanDiff > 1)
          problems.push(`${where} ${name}: mean difference ${r.meanDiff} from the reference`);
      }
    }
    const v = outcome.result.viewer;
    if (!v?.defined) problems.push('voxmark/define.js did not register <vx-viewer>');
    else if (!(v.distinctGreys > 16)) problems.push(`<vx-viewer> drew ${v.distinctGreys} grey levels`);
    if (JSON.stringify(v?.cocoBoxes) !== JSON.stringify([[4, 5, 6, 7]]))
      problems.push(`toCoco of the viewer's document gave ${JSON.stringify(v?.cocoBoxes)}`);
    for (const c of outcome.consoleProblems ?? []) problems.push(`the page logged ${c}`);
    if (!outcome.result.worker?.answered)
      problems.push('the decode worker never answered (frames fell back to the page)');
  }
  const wasm = outcome.ok ? outcome.result.wasmFetched : [];
  log(
    `${mode}: ${problems.length ? 'FAIL' : 'ok'}` +
      (outcome.ok ? ` ${JSON.stringify(FILES.map((f) => [f, outcome.result[f]?.maxDiff]))}` : '') +
      ` .wasm requested by the page: ${wasm.length ? wasm.join(', ') : 'none'}` +
      `; inline fallback chunks loaded: ${outcome.ok && outcome.result.inlineChunks.length ? outcome.result.inlineChunks.join(', ') : 'none'}` +
      (outcome.ok && outcome.result.worker?.answered ? '; the decode worker answered' : '') +
      (outcome.ok ? `; <vx-viewer> drew ${outcome.result.viewer?.distinctGreys} grey levels` : ''),
  );
  for (const p of problems) log(`  ${p}`);
  return problems.length === 0;
}

/**
 * Prints the JavaScript a page of the host app loads before any of voxmark's lazy chunks: the entry chunk
 * of index.html and everything it imports statically, gzip-compressed, from Vite's build manifest.
 */
function reportUpFront(outDir) {
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
  let raw = 0;
  let gz = 0;
  for (const key of seen) {
    const bytes = readFileSync(join(outDir, manifest[key].file));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  log(
    `up-front JavaScript of the host app: ${(gz / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(1)} KB minified, ${seen.size} chunk(s))`,
  );
  return gz;
}

/** The inline fallback chunks must hold real WebAssembly (base64 of "\0asm" is "AGFzbQ"). */
async function checkInlineFallbacks() {
  const dir = join(root, 'dist', 'core', 'image', 'codecs', 'inline');
  const names = ['charls', 'openjpeg', 'openjph', 'libjpeg-turbo'];
  for (const name of names) {
    const file = join(dir, `${name}.js`);
    if (!existsSync(file)) throw new Error(`dist has no inline ${name} module (${file})`);
    const { default: b64 } = await import(file);
    if (typeof b64 !== 'string' || !b64.startsWith('AGFzbQ')) {
      throw new Error(`${file} does not hold the ${name} WebAssembly binary`);
    }
  }
  log(`inline fallback chunks hold WebAssembly: ${names.join(', ')}`);
}

async function main() {
  if (!findChromium()) throw new Error('Chromium not found (set CHROME_PATH)');
  const work = mkdtempSync(join(tmpdir(), 'voxmark-consumer-'));
  let ok = true;
  try {
    if (!noBuild) {
      log('packing the package (its prepack script builds it)');
      rmSync(join(root, 'dist'), { recursive: true, force: true });
    }
    run(
      'npm',
      ['pack', '--silent', ...(noBuild ? ['--ignore-scripts'] : []), '--pack-destination', work],
      root,
    );
    await checkInlineFallbacks();
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    const app = join(work, 'app');
    makeApp(app, join(work, tarball));
    if (!existsSync(join(app, 'node_modules', 'voxmark', 'dist', 'index.js'))) {
      throw new Error('the installed package has no dist/index.js');
    }
    const vite = await import('vite');
    // Workers that import code-split modules (voxmark's codecs) need ES module output: Vite's default
    // worker format (iife) cannot split. Hosts set the same option.
    const warnings = [];
    const customLogger = vite.createLogger('warn');
    for (const level of ['warn', 'warnOnce', 'error']) {
      const original = customLogger[level].bind(customLogger);
      customLogger[level] = (msg, options) => {
        // Rolldown's note on how long build plugins ran is about the machine, not about the package.
        if (!msg.includes('[PLUGIN_TIMINGS]')) warnings.push(msg);
        original(msg, options);
      };
    }
    const quiet = {
      logLevel: 'warn',
      customLogger,
      configFile: false,
      root: app,
      clearScreen: false,
      worker: { format: 'es' },
    };

    // Production: vite build, then vite preview.
    log('vite build');
    await vite.build({ ...quiet, build: { outDir: join(app, 'out'), emptyOutDir: true, manifest: true } });
    reportUpFront(join(app, 'out'));
    const previewPort = await freePort();
    const preview = await vite.preview({
      ...quiet,
      build: { outDir: join(app, 'out') },
      preview: { port: previewPort, strictPort: true, host: '127.0.0.1' },
    });
    try {
      ok = judge('vite build + preview', await inBrowser(`http://127.0.0.1:${previewPort}/`)) && ok;
      // A host whose bundler lost the .wasm files: the inline fallback chunks must take over.
      const removed = [];
      for (const dir of [join(app, 'out'), join(app, 'out', 'assets')]) {
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir)) {
          if (f.endsWith('.wasm')) {
            rmSync(join(dir, f));
            removed.push(f);
          }
        }
      }
      if (removed.length === 0) throw new Error('the Vite build emitted no .wasm files');
      const outcome = await inBrowser(`http://127.0.0.1:${previewPort}/`, /\.wasm\)$/);
      ok = judge(`vite build without its ${removed.length} .wasm files (inline fallback)`, outcome) && ok;
      const inline = outcome.ok ? outcome.result.inlineChunks : [];
      if (!inline.some((n) => n.startsWith('charls-')) || !inline.some((n) => n.startsWith('openjpeg-'))) {
        log(`  the inline fallback chunks were not used (fetched: ${inline.join(', ') || 'none'})`);
        ok = false;
      }
    } finally {
      await preview.close();
    }

    // Development: the vite dev server, which pre-bundles dependencies.
    const devPort = await freePort();
    const dev = await vite.createServer({
      ...quiet,
      server: { port: devPort, strictPort: true, host: '127.0.0.1' },
    });
    await dev.listen();
    try {
      ok = judge('vite dev', await inBrowser(`http://127.0.0.1:${devPort}/`)) && ok;
    } finally {
      await dev.close();
    }
    if (warnings.length) {
      log(`Vite printed ${warnings.length} warning(s) for the host app:`);
      for (const w of warnings) log(`  ${w.split('\n')[0]}`);
      ok = false;
    } else log('Vite printed no warnings while building and serving the host app');
  } finally {
    if (keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  if (!ok) {
    log('FAILED');
    process.exit(1);
  }
  log(
    'the packed package decodes JPEG-LS and JPEG 2000 in a fresh Vite app (build and dev), in the page and in a decode worker',
  );
}

main().catch((e) => {
  console.error(`consumer-check: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
