#!/usr/bin/env node
// Runs the benchmarks in Chromium: `node bench/run.mjs [bench/foo.bench.ts ...]`; `BENCH_FILTER=text` runs
// only the groups of those modules whose name contains the text (modules that check `wants(group)`).
// Serves the project with the same dev-server plugins as the tests, opens one fresh page per bench
// module, imports it, and calls its default export `run(report)`. Every reported figure is printed as a
// table row and written to bench/results/latest.json. Exits non-zero when a bench module throws.
import { startDevServer } from '@web/dev-server';
import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { devServerPlugins } from '../scripts/dev-server-plugins.mjs';
import { pacsServer } from '../scripts/orthanc-plugin.mjs';
import { freePort } from '../scripts/orthanc.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = resolve(root, 'bench');
/** Longest a single bench module may run before it is counted as failed. */
const MODULE_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 5 * 60_000);
const PAGE_PATH = '/__voxmark_bench__.html';

/** A blank page served with cross-origin isolation so measureUserAgentSpecificMemory is available. */
function benchPagePlugin() {
  return {
    name: 'voxmark-bench-page',
    serve(context) {
      if (context.path !== PAGE_PATH) return undefined;
      return {
        body: '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body></body></html>',
        type: 'html',
      };
    },
  };
}

function isolationHeaders(ctx, next) {
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Cross-Origin-Embedder-Policy', 'require-corp');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  return next();
}

function benchFiles(args) {
  if (args.length > 0) return args.map((a) => resolve(process.cwd(), a));
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => resolve(benchDir, f));
}

function fmt(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 0.001)) return value.toExponential(2);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const COLUMNS = [
  ['group', 14, 'left'],
  ['name', 44, 'left'],
  ['value', 10, 'right'],
  ['unit', 6, 'left'],
  ['baseline', 10, 'right'],
  ['ratio', 7, 'right'],
];

function row(cells) {
  return cells
    .map((cell, i) => {
      const [, width, align] = COLUMNS[i];
      const text = String(cell);
      return align === 'right' ? text.padStart(width) : text.padEnd(width);
    })
    .join('  ')
    .trimEnd();
}

function printFigure(r) {
  const ratio = r.baseline ? r.value / r.baseline : undefined;
  const line = row([
    r.group,
    r.name,
    fmt(r.value),
    r.unit,
    r.baseline === undefined ? '' : fmt(r.baseline),
    ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
  ]);
  console.log(r.note ? `${line}  (${r.note})` : line);
}

function isFigure(r) {
  return (
    r &&
    typeof r.group === 'string' &&
    typeof r.name === 'string' &&
    typeof r.value === 'number' &&
    typeof r.unit === 'string'
  );
}

async function main() {
  const files = benchFiles(process.argv.slice(2));
  if (files.length === 0) {
    console.log('No bench/*.bench.ts files found.');
    return 0;
  }
  const executablePath = findChromium();
  if (!executablePath) {
    console.error('Chromium not found: set CHROME_PATH or run `node scripts/ensure-chromium.mjs`.');
    return 1;
  }

  const port = await freePort();
  // Orthanc for bench/dicomweb.bench.ts: started only when a bench page asks for /dicom-web.
  const pacs = pacsServer();
  const server = await startDevServer({
    config: {
      rootDir: root,
      port,
      hostname: '127.0.0.1',
      nodeResolve: { exportConditions: ['browser', 'production'] },
      plugins: [benchPagePlugin(), ...devServerPlugins(), pacs.plugin],
      middleware: [isolationHeaders, pacs.middleware],
      injectWebSocket: false,
      watch: false,
    },
    readCliArgs: false,
    readFileConfig: false,
    autoExitProcess: false,
    logStartMessage: false,
  });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
      '--enable-blink-features=ForceEagerMeasureMemory',
    ],
  });

  const results = [];
  const failures = [];
  const started = Date.now();
  console.log(row(COLUMNS.map(([name]) => name)));
  console.log(row(COLUMNS.map(([, width]) => '-'.repeat(width))));
  try {
    for (const file of files) {
      const rel = relative(root, file).split('\\').join('/');
      const context = await browser.newContext();
      const page = await context.newPage();
      // BENCH_FILTER=text: bench modules that call `wants(group)` run only the groups whose name has it.
      if (process.env.BENCH_FILTER)
        await page.addInitScript((f) => (globalThis.__voxmarkBenchFilter = f), process.env.BENCH_FILTER);
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') console.error(`  [${rel}] ${msg.text()}`);
      });
      await page.exposeFunction('__voxmarkBenchReport', (r) => {
        if (!isFigure(r)) {
          console.error(`  [${rel}] ignored malformed figure: ${JSON.stringify(r)}`);
          return;
        }
        const figure = { file: rel, ...r };
        results.push(figure);
        printFigure(figure);
      });
      const t0 = Date.now();
      try {
        await page.goto(`http://127.0.0.1:${port}${PAGE_PATH}`);
        let timer;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${MODULE_TIMEOUT_MS} ms`)),
            MODULE_TIMEOUT_MS,
          );
        });
        const run = page.evaluate(async (url) => {
          const mod = await import(url);
          if (typeof mod.default !== 'function') throw new Error(`${url} has no default export run(report)`);
          const pending = [];
          await mod.default((r) => {
            pending.push(globalThis.__voxmarkBenchReport(r));
          });
          await Promise.all(pending);
        }, `/${rel}`);
        try {
          await Promise.race([run, timeout]);
        } finally {
          clearTimeout(timer);
        }
        console.log(`  [${rel}] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        failures.push({ file: rel, error: message });
        console.error(`  [${rel}] FAILED: ${message}`);
        for (const pe of pageErrors) console.error(`  [${rel}] page error: ${pe.message}`);
      } finally {
        await context.close().catch(() => undefined);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }

  const outDir = resolve(benchDir, 'results');
  mkdirSync(outDir, { recursive: true });
  const summary = {
    date: new Date().toISOString(),
    chromium: executablePath,
    durationMs: Date.now() - started,
    results,
    failures,
  };
  writeFileSync(resolve(outDir, 'latest.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(
    `\n${results.length} figures from ${files.length} module(s) in ${(summary.durationMs / 1000).toFixed(1)} s` +
      ` -> ${relative(process.cwd(), resolve(outDir, 'latest.json'))}`,
  );
  if (failures.length > 0) {
    console.error(`${failures.length} bench module(s) failed: ${failures.map((f) => f.file).join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
