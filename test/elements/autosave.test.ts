import { expect } from '@open-wc/testing';
import { createAnnotationDocument, type AnnotationDocument } from '../../src/core/annotation/document.js';
import { ErrorCode, VoxmarkError } from '../../src/core/errors.js';
import { LazyImageStack } from '../../src/core/image/stack.js';
import type { ImageStack } from '../../src/core/image/types.js';
import { DraftAutosave } from '../../src/elements/autosave/autosave.js';
import { draftKey } from '../../src/elements/autosave/draft-key.js';
import { DraftStore, storageError, type Draft } from '../../src/elements/autosave/draft-store.js';
import { blobMask, testStack } from '../core/formats/helpers.js';

let dbCount = 0;
/** A fresh database per test, so tests do not see each other's drafts. */
function freshStore(): DraftStore {
  return new DraftStore(`voxmark-drafts-test-${Date.now()}-${dbCount++}`);
}

function docFor(stack: ImageStack): AnnotationDocument {
  return createAnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });
}

function drawBoxAndMask(doc: AnnotationDocument, stack: ImageStack): void {
  doc.add({
    label: 'lesion',
    kind: 'box',
    slice: 1,
    box: { x: 3, y: 4, width: 5, height: 6 },
    attributes: { grade: 2 },
  });
  doc.add({
    label: 'liver',
    kind: 'mask',
    slice: 2,
    mask: { data: blobMask(stack.width, stack.height, 2, 3, 9, 7) },
  });
}

/** A page with autosave on, a box and a mask drawn and saved. */
async function drawnPage(store: DraftStore, stack: ImageStack) {
  const page = new DraftAutosave({ target: new EventTarget(), store, delayMs: 0 });
  const doc = docFor(stack);
  await page.start(stack, doc);
  drawBoxAndMask(doc, stack);
  await page.flush();
  return { page, doc };
}

/** One page's session: autosave on, a box and a mask drawn, the page closed. */
async function saveDraftOf(store: DraftStore, stack: ImageStack): Promise<void> {
  await (await drawnPage(store, stack)).page.stop();
}

function events(target: EventTarget, type: string): CustomEvent[] {
  const seen: CustomEvent[] = [];
  target.addEventListener(type, (e) => seen.push(e as CustomEvent));
  return seen;
}

/** A TIFF-like stack whose frames hold `seed`-dependent values. */
function contentStack(seed: number): ImageStack {
  const width = 8;
  const height = 6;
  return new LazyImageStack({
    format: 'tiff',
    width,
    height,
    samplesPerPixel: 1,
    dataType: 'uint16',
    spacing: [1, 1, 1],
    slices: [{ page: 0 }, { page: 1 }, { page: 2 }],
    metadata: {},
    decode: async (i: number) => ({
      width,
      height,
      samplesPerPixel: 1,
      data: Uint16Array.from({ length: width * height }, (_, k) => (k * 31 + i * 7 + seed) & 0xffff),
      rescaleSlope: 1,
      rescaleIntercept: 0,
    }),
  });
}

describe('autosave drafts', () => {
  it('keys a DICOM stack by its UIDs without revealing them, and the host key qualifies it', async () => {
    const stack = testStack({ width: 16, height: 16, depth: 3 });
    const key = await draftKey(stack);
    expect(key).to.match(/^vx1-[0-9a-f]{64}$/);
    expect(await draftKey(testStack({ width: 16, height: 16, depth: 3 }))).to.equal(key);
    expect(await draftKey(stack, 'task-7')).to.not.equal(key);
    const other = testStack({ width: 16, height: 16, depth: 3, metadata: { seriesInstanceUID: '1.2.3.99' } });
    expect(await draftKey(other)).to.not.equal(key);
    for (const uid of [stack.metadata['studyInstanceUID'], stack.slices[0]!.sopInstanceUID]) {
      expect(key).to.not.contain(String(uid));
    }
  });

  it('keys a stack without UIDs by its pixel content', async () => {
    expect(await draftKey(contentStack(1))).to.equal(await draftKey(contentStack(1)));
    expect(await draftKey(contentStack(1))).to.not.equal(await draftKey(contentStack(2)));
  });

  it('restores a box and a mask after a reload without any save call, and fires vx-restore once', async () => {
    const store = freshStore();
    const stack = testStack({ width: 24, height: 20, depth: 4 });
    const target1 = new EventTarget();
    const first = new DraftAutosave({ target: target1, store, delayMs: 20 });
    const doc1 = docFor(stack);
    await first.start(stack, doc1);
    drawBoxAndMask(doc1, stack);
    // No flush: the debounce alone must write the draft.
    await new Promise((r) => setTimeout(r, 150));
    const before = doc1.toJSON();
    // The page goes away without stop() (a crash): drop the lock the way a closed page would.
    await first.stop();

    const target2 = new EventTarget();
    const restored = events(target2, 'vx-restore');
    const second = new DraftAutosave({ target: target2, store: new DraftStore(store.dbName), delayMs: 20 });
    const doc2 = docFor(stack);
    await second.start(testStack({ width: 24, height: 20, depth: 4 }), doc2);
    expect(doc2.toJSON()).to.deep.equal(before);
    expect(doc2.getMask(before.annotations[1]!.id)!.data).to.deep.equal(
      doc1.getMask(before.annotations[1]!.id)!.data,
    );
    expect(restored).to.have.length(1);
    expect(restored[0]!.detail.count).to.equal(2);
    expect(restored[0]!.detail.savedAt).to.be.a('number');
    // Restoring is not an edit the user made: nothing to undo.
    expect(doc2.canUndo).to.equal(false);
    await second.stop();
  });

  it('keeps a different series empty', async () => {
    const store = freshStore();
    const stack = testStack({ width: 24, height: 20, depth: 4 });
    await saveDraftOf(store, stack);

    const other = testStack({
      width: 24,
      height: 20,
      depth: 4,
      metadata: { seriesInstanceUID: '1.2.3.4.5' },
    });
    const target = new EventTarget();
    const restored = events(target, 'vx-restore');
    const b = new DraftAutosave({ target, store, delayMs: 0 });
    const doc2 = docFor(other);
    await b.start(other, doc2);
    expect(doc2.size).to.equal(0);
    expect(restored).to.have.length(0);
    await b.stop();
  });

  it('offers the draft instead when the host set its own document, and restores it as one undo step', async () => {
    const store = freshStore();
    const stack = testStack({ width: 24, height: 20, depth: 4 });
    await saveDraftOf(store, stack);

    const target = new EventTarget();
    const found = events(target, 'vx-draft-found');
    const restored = events(target, 'vx-restore');
    const b = new DraftAutosave({ target, store, delayMs: 0 });
    const hostDoc = docFor(stack);
    hostDoc.add(
      { label: 'other', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 2, height: 2 } },
      { origin: 'remote' },
    );
    await b.start(stack, hostDoc, { fromHost: true });
    expect(found.map((e) => e.detail.count)).to.deep.equal([2]);
    expect(restored).to.have.length(0);
    expect(hostDoc.size).to.equal(1);

    expect(b.restoreDraft()).to.equal(true);
    expect(hostDoc.annotations.map((x) => x.label).sort()).to.deep.equal(['lesion', 'liver']);
    hostDoc.undo();
    expect(hostDoc.annotations.map((x) => x.label)).to.deep.equal(['other']);
    expect(b.restoreDraft()).to.equal(false);
    await b.stop();
  });

  it('deletes a discarded draft', async () => {
    const store = freshStore();
    const stack = testStack({ width: 16, height: 16, depth: 3 });
    const { page: a } = await drawnPage(store, stack);
    expect(await store.get(a.key!)).to.not.equal(undefined);
    await a.discardDraft();
    expect(await store.get(a.key!)).to.equal(undefined);
    await a.stop();
  });

  it('holds annotations only: no pixels, no patient name or id, no UIDs', async () => {
    const store = freshStore();
    const stack = testStack({ width: 16, height: 16, depth: 3 });
    const { page: a } = await drawnPage(store, stack);
    const draft = (await store.get(a.key!)) as Draft;
    const text = JSON.stringify(draft);
    for (const secret of [
      'PAT-1',
      'Test^Patient',
      String(stack.metadata['seriesInstanceUID']),
      stack.slices[0]!.sopInstanceUID!,
    ]) {
      expect(text).to.not.contain(secret);
    }
    expect(Object.keys(draft).sort()).to.deep.equal(
      ['annotations', 'count', 'depth', 'height', 'key', 'savedAt', 'tabId', 'width'].sort(),
    );
    await a.stop();
  });

  it('lets one of two pages on the same stack save, tells both, and hands over when the first closes', async () => {
    const store = freshStore();
    const stack = testStack({ width: 16, height: 16, depth: 3 });
    const t1 = new EventTarget();
    const t2 = new EventTarget();
    const c1 = events(t1, 'vx-draft-conflict');
    const c2 = events(t2, 'vx-draft-conflict');
    const p1 = new DraftAutosave({ target: t1, store, delayMs: 0 });
    const p2 = new DraftAutosave({ target: t2, store, delayMs: 0 });
    const d1 = docFor(stack);
    const d2 = docFor(stack);
    await p1.start(stack, d1);
    await p2.start(stack, d2);
    await new Promise((r) => setTimeout(r, 50));
    expect(p1.saving).to.equal(true);
    expect(p2.saving).to.equal(false);
    expect(c2.map((e) => e.detail.saving)).to.deep.equal([false]);
    expect(c1.map((e) => e.detail.saving)).to.deep.equal([true]);

    d1.add({ label: 'a', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 2, height: 2 } });
    d2.add({ label: 'b', kind: 'box', slice: 0, box: { x: 3, y: 3, width: 2, height: 2 } });
    await p1.flush();
    await p2.flush();
    // The second page did not overwrite the first's draft.
    expect((await store.get(p1.key!))!.annotations.map((x) => x.label)).to.deep.equal(['a']);

    await p1.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(p2.saving).to.equal(true);
    // Taking over saves what changed meanwhile.
    expect((await store.get(p2.key!))!.annotations.map((x) => x.label)).to.deep.equal(['b']);
    await p2.stop();
  });

  it('reports a full quota once as storage-full while editing goes on, and retries on the next change', async () => {
    class FullStore extends DraftStore {
      full = true;
      puts = 0;
      override async put(draft: Draft): Promise<void> {
        this.puts++;
        if (this.full) throw storageError(new DOMException('quota', 'QuotaExceededError'), 'saved');
        return super.put(draft);
      }
    }
    const store = new FullStore(`voxmark-drafts-test-full-${Date.now()}`);
    const stack = testStack({ width: 16, height: 16, depth: 3 });
    const target = new EventTarget();
    const errors = events(target, 'vx-error');
    const a = new DraftAutosave({ target, store, delayMs: 0 });
    const doc = docFor(stack);
    await a.start(stack, doc);
    doc.add({ label: 'a', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 2, height: 2 } });
    await a.flush();
    doc.add({ label: 'b', kind: 'box', slice: 0, box: { x: 3, y: 3, width: 2, height: 2 } });
    await a.flush();
    expect(doc.size).to.equal(2);
    expect(errors).to.have.length(1);
    const error = errors[0]!.detail.error as VoxmarkError;
    expect(error).to.be.instanceOf(VoxmarkError);
    expect(error.code).to.equal(ErrorCode.StorageFull);
    store.full = false;
    doc.add({ label: 'c', kind: 'box', slice: 0, box: { x: 5, y: 5, width: 2, height: 2 } });
    await a.flush();
    expect((await store.get(a.key!))!.count).to.equal(3);
    await a.stop();
  });

  it('maps other storage failures to storage-failed', () => {
    expect(storageError(new DOMException('x', 'UnknownError'), 'saved').code).to.equal(
      ErrorCode.StorageFailed,
    );
  });
});
