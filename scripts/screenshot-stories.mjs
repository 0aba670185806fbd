// Screenshots every Storybook story and reports console errors (npm run screenshots).
//
//   node scripts/screenshot-stories.mjs [--static DIR] [--out DIR] [--filter TEXT]
//
// Serves a static Storybook build (default storybook-static/, made by `npm run build-storybook`), opens each
// story's iframe in Chromium, waits for it to settle, saves a PNG per story and prints the console errors and
// failed requests each one logged. Exits non-zero when a story logged an error or failed to render.
import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const staticDir = resolve(root, arg('--static', 'storybook-static'));
const outDir = resolve(root, arg('--out', '.tmp/screenshots'));
const filter = arg('--filter', '');

if (!existsSync(join(staticDir, 'index.json'))) {
  console.error(`No Storybook build in ${staticDir}: run \`npm run build-storybook\` first.`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = resolve(staticDir, `.${path}`);
  if (file !== staticDir && !file.startsWith(staticDir + sep)) return void res.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return void res.writeHead(404).end();
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const index = JSON.parse(readFileSync(join(staticDir, 'index.json'), 'utf8'));
const stories = Object.values(index.entries).filter((e) => e.type === 'story' && e.id.includes(filter));
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: CHROMIUM_ARGS,
  headless: true,
});
// Storybook's own dev-mode notices and favicon; failed loads are reported with their URL by the response hook.
const IGNORED = [
  /Lit is in dev mode/,
  /Multiple versions of Lit loaded/,
  /favicon\.ico/,
  /^Failed to load resource/,
  // The static build has no DICOMweb archive behind /dicom-web (`npm run pacs` with `npm start` provides one):
  // the DICOMweb stories then say how to start it, which is what their screenshots show.
  /\/dicom-web\//,
];
let failures = 0;
for (const story of stories) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const problems = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !IGNORED.some((r) => r.test(m.text()))) {
      problems.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Chromium reports every completed HEAD request as net::ERR_ABORTED (no body follows); not a failure.
    if (r.method() === 'HEAD' && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    if (IGNORED.some((x) => x.test(r.url()))) return;
    problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !IGNORED.some((x) => x.test(r.url())))
      problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${base}/iframe.html?id=${story.id}&viewMode=story`, { waitUntil: 'load' });
  await page.waitForTimeout(2500);
  const file = join(outDir, `${story.id}.png`);
  await page.screenshot({ path: file });
  const errors = problems.filter((p) => !p.startsWith('warning'));
  if (errors.length) failures++;
  console.log(`${errors.length ? 'FAIL' : 'ok  '} ${story.id} -> ${file}`);
  for (const p of problems) console.log(`       ${p}`);
  await page.close();
}
await browser.close();
server.close();
console.log(`${stories.length - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
