// End-to-end check that the published package works for a consumer (npm run check:consumer):
//
//   1. build the package (rollup) unless --no-build, and `npm pack` it;
//   2. create a fresh Vite app in a temporary folder and `npm install` the tarball into it;
//   3. in Chromium, import `loadImageStack` from 'voxmark' and decode a JPEG-LS and a JPEG 2000 corpus file
//      (in the page, then again through a decode worker the app builds from `serveDecodeRequests`),
//      once from `vite build` + `vite preview` and once from the `vite` dev server;
//   4. compare the decoded frames with the corpus references and report where each codec's .wasm came from
//      (the file next to the codec chunk, or the inline fallback chunk);
//   5. with 'voxmark/define.js', show the JPEG-LS file in a <vx-viewer> (its canvas must hold an image),
//      export a box from the viewer's document with toCoco, and through a <vx-export-panel> as COCO, DICOM
//      SEG and NIfTI; load a TIFF, and a DICOM with `deidentify`: each of these loads a lazy chunk (geotiff,
//      dicom-parser, the writers, the de-identification rules), so a broken lazy import fails here;
//   6. fail on any warning Vite prints while building or serving the app (a host's build must stay quiet);
//   7. build a second page that imports only `loadImageStack` (no define.js): package.json's `sideEffects`
//      must let Vite drop every element, Lit and Konva from it;
//   8. measure the JavaScript the page loads up front (entry chunk and its static imports, gzip) and fail
//      above the budget (UP_FRONT_BUDGET_KB), or when a module meant to load lazily is among it; the
//      largest modules are printed (scripts/up-front-size.mjs attributes bytes through the sourcemaps).
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
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';
import { attribute, byPackage, kb, upFrontChunks } from './up-front-size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = resolve(process.env.VOXMARK_CORPUS ?? resolve(root, '..', 'shared', 'corpus'));
const FILES = ['MR_small_jpeg_ls_lossless.dcm', 'JPEG2000.dcm'];
/** A TIFF the page loads (LZW with a predictor: geotiff's decoder), compared with its uint16 reference. */
const TIFF = 'gray16_lzw_pred.tif';
/**
 * The most JavaScript, gzip, a host page may load up front for `voxmark` and `voxmark/define.js`: the
 * elements, Lit and what showing an image needs. Konva and the renderers load with the first viewer. Readers, writers and tables load on first use.
 * VOXMARK_UP_FRONT_BUDGET_KB sets another figure (to see the report of a failure, say).
 */
const UP_FRONT_BUDGET_KB = Number(process.env.VOXMARK_UP_FRONT_BUDGET_KB ?? 120);
/** Modules that must never be in the up-front JavaScript: each loads when first needed. */
const LAZY_MODULES = [
  'geotiff',
  'dicom-parser',
  'voxmark/core/image/tiff/',
  'voxmark/core/image/dicom/parse.js',
  'voxmark/core/dicom/dictionary',
  'voxmark/core/deid/',
  'voxmark/core/formats/seg.js',
  'voxmark/core/formats/nifti.js',
  'voxmark/core/dicomweb/load.js',
  'konva',
  'voxmark/render/stage-modules.js',
  'voxmark/render/viewer-stage.js',
  'voxmark/render/annotation-renderer.js',
];
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
/** A TIFF (geotiff's lazy chunk), compared with its reference; a DICOM de-identified on load (the rules' chunk). */
async function lazyReaders() {
  const bytes = new Uint8Array(await (await fetch('/corpus/${TIFF}')).arrayBuffer());
  const stack = await loadImageStack(bytes);
  const frame = await stack.getFrame(0);
  const ref = new Uint16Array(await (await fetch('/corpus/${TIFF}.f0.raw')).arrayBuffer());
  let mismatches = 0;
  for (let i = 0; i < ref.length; i++) if (frame.data[i] !== ref[i]) mismatches++;
  const dicom = new Uint8Array(await (await fetch('/corpus/' + FILES[0])).arrayBuffer());
  const deid = await loadImageStack(dicom, { deidentify: true });
  return {
    tiff: { samples: frame.data.length, expectedSamples: ref.length, mismatches },
    deidentified: deid.metadata.deidentified === true && (await deid.getFrame(0)).data.length > 0,
  };
}

/** Every export of a <vx-export-panel> bound to the viewer: each writer is a lazy chunk. */
async function panelExports(viewer) {
  const panel = document.createElement('vx-export-panel');
  panel.setAttribute('for', viewer.id);
  panel.rasterize = true;
  document.body.append(panel);
  await panel.updateComplete;
  const files = {};
  const errors = [];
  panel.addEventListener('vx-export', (e) => {
    e.preventDefault();
    files[e.detail.filename.split('.').slice(1).join('.')] = e.detail.blob;
  });
  panel.addEventListener('vx-error', (e) => errors.push(String(e.detail.error)));
  for (const format of ['coco', 'seg', 'nifti']) await panel.export(format);
  const head = async (blob, n) => blob ? [...new Uint8Array(await blob.slice(0, n).arrayBuffer())] : [];
  const seg = await head(files['seg.dcm'], 132);
  const nifti = await head(files['nii.gz'], 2);
  const coco = files['coco.json'] ? JSON.parse(await files['coco.json'].text()) : undefined;
  return {
    errors,
    segIsDicom: String.fromCharCode(...seg.slice(128)) === 'DICM',
    niftiIsGzip: nifti[0] === 0x1f && nifti[1] === 0x8b,
    cocoAnnotations: coco?.annotations.length ?? 0,
  };
}

/** The elements as a host uses them: a viewer shows a compressed file, and its document exports to COCO. */
async function viewerCheck() {
  const viewer = document.createElement('vx-viewer');
  viewer.id = 'viewer';
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
    panel: await panelExports(viewer),
  };
}

async function check() {
  const results = await decodeAll({});
  results.viewer = await viewerCheck();
  results.lazy = await lazyReaders();
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

/** A page that loads images without the elements: nothing of Lit, Konva or the elements may reach it. */
const BARE_JS = `
import { loadImageStack } from 'voxmark';
globalThis.loadImageStack = loadImageStack;
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
  mkdirSync(join(dir, 'bare'));
  copyFileSync(join(dir, 'index.html'), join(dir, 'bare', 'index.html'));
  writeFileSync(join(dir, 'bare', 'main.js'), BARE_JS);
  for (const [f, folder] of [...FILES.map((f) => [f, 'dicom']), [TIFF, 'tiff']]) {
    copyFileSync(join(corpus, folder, f), join(dir, 'public', 'corpus', f));
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
    const p = v?.panel;
    if (p?.errors.length) problems.push(`<vx-export-panel> failed: ${p.errors.join('; ')}`);
    if (!p?.segIsDicom) problems.push('<vx-export-panel> gave no DICOM SEG file');
    if (!p?.niftiIsGzip) problems.push('<vx-export-panel> gave no .nii.gz file');
    if (p?.cocoAnnotations !== 1)
      problems.push(`<vx-export-panel> COCO held ${p?.cocoAnnotations} annotation(s)`);
    const t = outcome.result.lazy?.tiff;
    if (!t || t.samples !== t.expectedSamples || t.mismatches)
      problems.push(`${TIFF}: ${JSON.stringify(t)} (expected every sample equal to the reference)`);
    if (!outcome.result.lazy?.deidentified)
      problems.push('loadImageStack({ deidentify: true }) did not de-identify');
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
      (outcome.ok ? `; <vx-viewer> drew ${outcome.result.viewer?.distinctGreys} grey levels` : '') +
      (outcome.ok ? `; checked <vx-export-panel> COCO, SEG and NIfTI, ${TIFF}, a de-identified load` : ''),
  );
  for (const p of problems) log(`  ${p}`);
  return problems.length === 0;
}

/**
 * The JavaScript a page of the host app loads before any of voxmark's lazy chunks: the entry chunk of
 * index.html and everything it imports statically, gzip-compressed, from Vite's build manifest. Fails above
 * UP_FRONT_BUDGET_KB or when a module of LAZY_MODULES is among it, printing the largest modules.
 */
function checkUpFront(outDir) {
  const chunks = upFrontChunks(outDir);
  const gz = chunks.reduce((n, c) => n + c.gzip, 0);
  const raw = chunks.reduce((n, c) => n + c.raw, 0);
  const modules = attribute(chunks);
  const over = gz > UP_FRONT_BUDGET_KB * 1024;
  const eager = modules.filter((m) => LAZY_MODULES.some((l) => m.module.startsWith(l)));
  log(
    `up-front JavaScript of the host app: ${kb(gz)} KB gzip (${kb(raw)} KB minified, ${chunks.length} chunk(s)); ` +
      `budget ${UP_FRONT_BUDGET_KB} KB gzip: ${over ? 'OVER' : 'ok'}`,
  );
  const line = (m) => `${kb(m.gzip).padStart(6)} KB gzip ${kb(m.raw).padStart(7)} KB min  ${m.module}`;
  const top = over ? 20 : 5;
  log(`  largest packages and folders:`);
  for (const m of byPackage(modules).slice(0, top)) log(`  ${line(m)}`);
  if (over) {
    log(`  largest modules:`);
    for (const m of modules.slice(0, top)) log(`  ${line(m)}`);
  }
  for (const m of eager) log(`  loaded up front, but meant to load on first use: ${m.module}`);
  return !over && eager.length === 0;
}

/**
 * The bare page's up-front JavaScript (its own Vite build, in `bare/`): without define.js, `sideEffects`
 * must let the bundler drop the elements, the renderers, Lit and Konva.
 */
async function checkBare(vite, quiet, app) {
  const outDir = join(app, 'bare', 'out');
  await vite.build({
    ...quiet,
    root: join(app, 'bare'),
    build: { outDir, emptyOutDir: true, manifest: true, sourcemap: 'hidden' },
  });
  const chunks = upFrontChunks(outDir);
  const gz = chunks.reduce((n, c) => n + c.gzip, 0);
  const stray = attribute(chunks).filter(
    (m) =>
      /^(konva|lit|lit-html|lit-element|@lit\/.*)$/.test(m.module) ||
      /^voxmark\/(elements|render)\//.test(m.module),
  );
  log(`a page importing only loadImageStack: ${kb(gz)} KB gzip up front, ${stray.length ? 'FAIL' : 'ok'}`);
  for (const m of stray) log(`  kept though the page registers no element: ${m.module}`);
  return stray.length === 0;
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
    await vite.build({
      ...quiet,
      // Hidden sourcemaps (no comment in the chunks, so no bytes counted) tell which module is what.
      build: { outDir: join(app, 'out'), emptyOutDir: true, manifest: true, sourcemap: 'hidden' },
    });
    ok = checkUpFront(join(app, 'out')) && ok;
    ok = (await checkBare(vite, quiet, app)) && ok;
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
    'the packed package decodes JPEG-LS, JPEG 2000 and TIFF and exports COCO, SEG and NIfTI in a fresh Vite app (build and dev), within the up-front budget',
  );
}

main().catch((e) => {
  console.error(`consumer-check: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
