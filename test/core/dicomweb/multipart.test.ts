import { expect } from '@open-wc/testing';
import {
  parseMediaType,
  readMultipart,
  buildMultipart,
  type Part,
} from '../../../src/core/dicomweb/multipart.js';
import type { OpenResponse } from '../../../src/core/dicomweb/http.js';
import { ErrorCode, VoxmarkError } from '../../../src/core/errors.js';
import { voxmarkRejection } from '../../helpers/rejection.js';

const BOUNDARY = 'b0undary-42';

/** A response whose body arrives in chunks of `chunk` bytes. */
function opened(
  body: Uint8Array,
  chunk: number,
  type = `multipart/related; type="application/octet-stream"; boundary=${BOUNDARY}`,
): OpenResponse {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) return controller.close();
      controller.enqueue(body.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
  const response = new Response(stream, { headers: { 'Content-Type': type } });
  return {
    response,
    signal: new AbortController().signal,
    done: () => undefined,
    abortError: () => new VoxmarkError(ErrorCode.Aborted, 'aborted'),
  };
}

async function parts(open: OpenResponse, maxPartBytes = 1 << 20): Promise<Part[]> {
  const out: Part[] = [];
  for await (const p of readMultipart(open, { maxPartBytes })) out.push(p);
  return out;
}

function bytesOf(blob: Blob): Promise<Uint8Array> {
  return blob.arrayBuffer().then((b) => new Uint8Array(b));
}

/** Bytes that contain CR, LF and dashes, to tempt a naive boundary search. */
function tricky(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = [13, 10, 45, 45, (i * seed) & 255][i % 5]!;
  return out;
}

describe('multipart/related reader', () => {
  it('reads parts whose bodies and boundaries are split across chunks of any size', async () => {
    const a = tricky(3000, 7);
    const b = tricky(17, 3);
    const body = await bytesOf(
      buildMultipart(
        [a as BlobPart, b as BlobPart],
        'image/jls; transfer-syntax=1.2.840.10008.1.2.4.80',
        BOUNDARY,
      ),
    );
    for (const chunk of [1, 7, 64, 100_000]) {
      const got = await parts(opened(body, chunk));
      expect(got.map((p) => Array.from(p.body))).to.deep.equal([Array.from(a), Array.from(b)]);
      expect(got[0]!.contentType).to.deep.equal({
        type: 'image/jls',
        params: { 'transfer-syntax': '1.2.840.10008.1.2.4.80' },
      });
    }
  });

  it('takes the enclosing type for parts without a Content-Type, and skips a preamble', async () => {
    const text = `preamble\r\n--${BOUNDARY}\r\n\r\nhello\r\n--${BOUNDARY}--\r\n`;
    const got = await parts(
      opened(
        new TextEncoder().encode(text),
        5,
        `multipart/related; type="application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1"; boundary="${BOUNDARY}"`,
      ),
    );
    expect(new TextDecoder().decode(got[0]!.body)).to.equal('hello');
    expect(got[0]!.contentType.params['transfer-syntax']).to.equal('1.2.840.10008.1.2.1');
  });

  it('refuses a body cut before its closing boundary as corrupt', async () => {
    const body = await bytesOf(
      buildMultipart([tricky(500, 5) as BlobPart], 'application/octet-stream', BOUNDARY),
    );
    const cut = body.subarray(0, body.length - 30);
    expect((await voxmarkRejection(parts(opened(cut, 64)))).code).to.equal(ErrorCode.Corrupt);
    expect((await voxmarkRejection(parts(opened(body.subarray(0, 10), 64)))).code).to.equal(
      ErrorCode.Corrupt,
    );
  });

  it('refuses a part larger than the bound as too-large, before holding it whole', async () => {
    const body = await bytesOf(
      buildMultipart([new Uint8Array(10_000) as BlobPart], 'application/octet-stream', BOUNDARY),
    );
    expect((await voxmarkRejection(parts(opened(body, 512), 4096))).code).to.equal(ErrorCode.TooLarge);
  });

  it('refuses an answer that is not multipart/related as not-acceptable', async () => {
    const e = await voxmarkRejection(parts(opened(new Uint8Array(4), 4, 'text/html')));
    expect(e.code).to.equal(ErrorCode.NotAcceptable);
  });

  it('parses media type parameters, quoted or not, case-insensitively', () => {
    expect(
      parseMediaType('Multipart/Related; Type="application/dicom"; boundary=abc ;start="<x\\"y>"'),
    ).to.deep.equal({
      type: 'multipart/related',
      params: { type: 'application/dicom', boundary: 'abc', start: '<x"y>' },
    });
    expect(parseMediaType(null)).to.deep.equal({ type: '', params: {} });
  });
});
