// The test PACS in the dev server (tests and benchmarks): a plugin that starts Orthanc
// (scripts/orthanc.mjs) the first time a page asks for it and stops it by its pid when the server stops,
// and a middleware that makes it reachable from the page without CORS:
//
// - `/dicom-web/…`                   proxied to Orthanc's DICOMweb root;
// - `/__pacs_fault__/<mode>/dicom-web/…` the same, through a fault: `401`, `403`, `404`, `500` answer that
//   status; `truncate` cuts the body in half (a complete HTTP answer whose multipart body ends early);
//   `drop` closes the connection half-way through the body; `stall` sends headers and then nothing;
//   `no-frames` answers 400 to frame requests (a server without frame retrieval); `ignore-accept` answers
//   frame requests with an HTML page;
// - `/__pacs__/status`                `{ available, reason?, ci, manifest? }`: whether Orthanc runs, and the
//   sample series it holds;
// - `/__pacs__/files/<n>.dcm`         the files uploaded, byte for byte.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pacsUnavailableReason, startPacs } from './orthanc.mjs';

const FAULTS = new Set([
  '401',
  '403',
  '404',
  '500',
  'truncate',
  'drop',
  'stall',
  'no-frames',
  'ignore-accept',
]);

export function pacsServer() {
  /** @type {Promise<object> | undefined} */
  let starting;
  let pacs;
  const ci = process.env.CI === 'true' || process.env.CI === '1';

  function ensure() {
    if (!starting) {
      const reason = pacsUnavailableReason();
      starting = reason
        ? Promise.resolve({ available: false, reason })
        : startPacs().then(
            (p) => {
              pacs = p;
              return { available: true, manifest: p.manifest };
            },
            (e) => ({ available: false, reason: `Orthanc could not be started: ${e.message}` }),
          );
    }
    return starting;
  }

  const plugin = {
    name: 'voxmark-test-pacs',
    async serverStop() {
      const running = pacs;
      pacs = undefined;
      await running?.stop();
    },
  };

  async function middleware(ctx, next) {
    const path = ctx.path;
    if (path === '/__pacs__/status') {
      const state = await ensure();
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ ...state, ci });
      return;
    }
    if (path.startsWith('/__pacs__/files/')) {
      const state = await ensure();
      if (!state.available) return next();
      ctx.type = 'application/dicom';
      ctx.body = readFileSync(join(pacs.dir, basename(path)));
      return;
    }
    let mode;
    let rest;
    if (path.startsWith('/dicom-web/') || path === '/dicom-web') rest = ctx.url;
    else if (path.startsWith('/__pacs_fault__/')) {
      const m = /^\/__pacs_fault__\/([^/]+)(\/dicom-web.*)$/.exec(ctx.url);
      if (!m || !FAULTS.has(m[1])) return next();
      mode = m[1];
      rest = m[2];
    } else return next();
    const state = await ensure();
    if (!state.available) {
      ctx.status = 503;
      ctx.body = state.reason;
      return;
    }
    if (['401', '403', '404', '500'].includes(mode)) {
      ctx.status = Number(mode);
      ctx.type = 'text/plain';
      ctx.body = `fault ${mode}`;
      return;
    }
    const isFrames = /\/frames\/[0-9,]+$/.test(ctx.path);
    if (mode === 'no-frames' && isFrames) {
      ctx.status = 400;
      ctx.body = 'frame retrieval is not supported here';
      return;
    }
    if (mode === 'ignore-accept' && isFrames) {
      ctx.status = 200;
      ctx.type = 'text/html';
      ctx.body = '<!doctype html><p>not a frame</p>';
      return;
    }
    ctx.respond = false;
    await proxy(ctx.req, ctx.res, new URL(rest, pacs.url), mode);
  }

  return { plugin, middleware };
}

function proxy(req, res, target, mode) {
  return new Promise((resolve) => {
    const headers = { ...req.headers, host: target.host };
    delete headers.connection;
    delete headers['accept-encoding'];
    const upstream = request(target, { method: req.method, headers }, (up) => {
      const outHeaders = { ...up.headers };
      if (!mode || mode === 'no-frames' || mode === 'ignore-accept') {
        res.writeHead(up.statusCode, outHeaders);
        up.pipe(res);
        up.on('end', resolve);
        up.on('error', resolve);
        return;
      }
      // Faults that need the whole body first.
      const chunks = [];
      up.on('data', (c) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        const half = body.subarray(0, Math.floor(body.length / 2));
        if (mode === 'truncate') {
          outHeaders['content-length'] = String(half.length);
          res.writeHead(up.statusCode, outHeaders);
          res.end(half);
        } else if (mode === 'drop') {
          res.writeHead(up.statusCode, outHeaders);
          res.write(half, () => res.destroy());
        } else if (mode === 'stall') {
          res.writeHead(up.statusCode, outHeaders);
          res.flushHeaders();
          // Never finishes; the client's timeout (or the page closing) ends it.
          setTimeout(() => res.destroy(), 60_000).unref();
        }
        resolve();
      });
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`Orthanc: ${e.message}`);
      } else res.destroy();
      resolve();
    });
    req.pipe(upstream);
  });
}
