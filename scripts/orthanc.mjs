#!/usr/bin/env node
// The test PACS: Debian's Orthanc with its DICOMweb plugin, on loopback, with the configuration kept in
// test/pacs/orthanc.json, storage in a fresh temporary directory, and the sample studies of
// test/pacs/sample-data.ts (the phantom as an uncompressed and a JPEG-LS series, a small scratch study that
// the store tests write into, and two real corpus files when the corpus is present) uploaded through its
// REST API. Stopped by its pid.
//
// - `startPacs()` (used by the test server plugin, scripts/orthanc-plugin.mjs, and the benchmarks) picks a
//   free port and resolves to `{ url, pid, manifest, stop() }`.
// - `node scripts/orthanc.mjs` (`npm run pacs`) starts one on port 8042 (`VOXMARK_PACS_PORT` overrides) for
//   the Storybook "DICOMweb" stories, and stops it on Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));

export const ORTHANC_BINARY = process.env.ORTHANC_BINARY ?? '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN =
  process.env.ORTHANC_DICOMWEB_PLUGIN ?? '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
const CORPUS = resolve(process.env.VOXMARK_CORPUS ?? resolve(root, '..', 'shared', 'corpus'));
/** Real third-party files uploaded beside the phantom, each its own study. */
const CORPUS_FILES = ['dicom/CT_small.dcm', 'dicom/MR_small.dcm'];
const START_TIMEOUT_MS = 20_000;

/** Why Orthanc cannot run here, or undefined when its binary and DICOMweb plugin are installed. */
export function pacsUnavailableReason() {
  if (!existsSync(ORTHANC_BINARY))
    return `Orthanc is not installed (${ORTHANC_BINARY}): apt-get install orthanc orthanc-dicomweb`;
  if (!existsSync(DICOMWEB_PLUGIN))
    return `The Orthanc DICOMweb plugin is not installed (${DICOMWEB_PLUGIN}): apt-get install orthanc-dicomweb`;
  return undefined;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** test/pacs/orthanc.json, whose comments Orthanc accepts but JSON.parse does not. */
function readConfig() {
  const text = readFileSync(join(root, 'test/pacs/orthanc.json'), 'utf8');
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));
}

async function waitUntilUp(url, child, log) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited with code ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/system`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Orthanc did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

/** JPEG-LS lossless through CharLS (the same encoder the browser tests use). */
async function charlsEncoder() {
  const factory = require('@cornerstonejs/codec-charls/wasmjs');
  const module = await factory({
    wasmBinary: readFileSync(require.resolve('@cornerstonejs/codec-charls/wasm')),
  });
  return async (info, samples) => {
    const encoder = new module.JpegLSEncoder();
    try {
      const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
      encoder.getDecodedBuffer({ ...info, isSigned: false, isUsingColorTransform: false }).set(bytes);
      encoder.setNearLossless(0);
      encoder.encode();
      return encoder.getEncodedBuffer().slice();
    } finally {
      encoder.delete();
    }
  };
}

/** test/pacs/sample-data.ts, bundled for Node by esbuild into `dir`. */
async function sampleDataModule(dir) {
  const { build } = await import('esbuild');
  const outfile = join(dir, 'sample-data.mjs');
  await build({
    entryPoints: [join(root, 'test/pacs/sample-data.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    tsconfig: join(root, 'tsconfig.json'),
    // dicom-parser is CommonJS and requires zlib (never called: deflate goes through DecompressionStream).
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return import(pathToFileURL(outfile).href);
}

/** Uploads the sample studies; returns what is stored, with the files written under `dir`. */
export async function loadSampleData(url, dir, options = {}) {
  const { buildSampleStudy, SCRATCH_STUDY } = await sampleDataModule(dir);
  const series = [
    ...(await buildSampleStudy(options, await charlsEncoder())),
    ...(await buildSampleStudy(SCRATCH_STUDY)),
  ];
  const manifest = { series: [] };
  let n = 0;
  for (const s of series) {
    const files = [];
    for (const bytes of s.files) {
      const name = `${++n}.dcm`;
      writeFileSync(join(dir, name), bytes);
      await upload(url, bytes);
      files.push(name);
    }
    manifest.series.push({
      studyInstanceUID: s.studyInstanceUID,
      seriesInstanceUID: s.seriesInstanceUID,
      description: s.description,
      transferSyntaxUID: s.transferSyntaxUID,
      files,
    });
  }
  for (const file of CORPUS_FILES) {
    const path = join(CORPUS, file);
    if (existsSync(path)) await upload(url, readFileSync(path));
  }
  return manifest;
}

async function upload(url, bytes) {
  const res = await fetch(`${url}/instances`, {
    method: 'POST',
    body: bytes,
    headers: { 'Content-Type': 'application/dicom' },
  });
  if (!res.ok) throw new Error(`Orthanc refused an upload: ${res.status} ${await res.text()}`);
}

/**
 * Starts Orthanc with the repository's configuration on `port` (default: a free one) and uploads the
 * sample data. Resolves to `{ url, port, pid, dir, manifest, stop }`; `stop()` ends it by its pid (SIGTERM, then
 * SIGKILL after 5 s) and resolves once it has exited and its storage is removed.
 */
export async function startPacs(options = {}) {
  const reason = pacsUnavailableReason();
  if (reason) throw new Error(reason);
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'voxmark-pacs-'));
  const config = {
    ...readConfig(),
    HttpPort: port,
    StorageDirectory: join(dir, 'db'),
    IndexDirectory: join(dir, 'db'),
    Plugins: [DICOMWEB_PLUGIN],
  };
  const configPath = join(dir, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  let output = '';
  const child = spawn(ORTHANC_BINARY, [configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const exited = new Promise((r) => child.once('exit', r));
  /** SIGTERM, then SIGKILL if Orthanc has not exited within 5 s; the storage is removed once it has. */
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      signal(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signal(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // The Node process is going away: no time to wait, kill it now.
  const onExit = () => {
    if (child.exitCode === null) signal(child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    await waitUntilUp(url, child, () => output);
    const manifest = options.data === false ? { series: [] } : await loadSampleData(url, dir, options.sample);
    return {
      url,
      port,
      pid: child.pid,
      dir,
      manifest,
      stop: async () => {
        process.off('exit', onExit);
        await stop();
      },
    };
  } catch (e) {
    process.off('exit', onExit);
    await stop();
    throw e;
  }
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

// `npm run pacs`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.VOXMARK_PACS_PORT ?? 8042);
  const check = spawnSync('sh', ['-c', `command -v ${ORTHANC_BINARY}`]);
  if (check.status !== 0 || pacsUnavailableReason()) {
    console.error(pacsUnavailableReason());
    process.exit(1);
  }
  const pacs = await startPacs({ port, sample: { size: 256, depth: 40 } });
  console.log(`Orthanc (pid ${pacs.pid}) serves DICOMweb at ${pacs.url}/dicom-web`);
  for (const s of pacs.manifest.series) console.log(`  ${s.description}: ${s.files.length} instances`);
  console.log('Storybook (npm start) proxies /dicom-web to it. Ctrl+C stops it.');
  const quit = () => pacs.stop().then(() => process.exit(0));
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
}
