import { expect } from '@open-wc/testing';
import { RequestLimiter } from '../../../src/core/dicomweb/limiter.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { voxmarkRejection } from '../../helpers/rejection.js';

/** A job that finishes when `release()` is called, recording when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return {
    job: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

describe('RequestLimiter', () => {
  it('runs at most max jobs at once, urgent waiters before the others, each in arrival order', async () => {
    const log: string[] = [];
    const limiter = new RequestLimiter(2);
    const signal = new AbortController().signal;
    const jobs = Object.fromEntries(['a', 'b', 'lazy1', 'lazy2', 'urgent'].map((n) => [n, gate(log, n)]));
    const results = [
      limiter.run(signal, jobs.a!.job),
      limiter.run(signal, jobs.b!.job),
      limiter.run(signal, jobs.lazy1!.job),
      limiter.run(signal, jobs.lazy2!.job),
      limiter.run(signal, jobs.urgent!.job, true),
    ];
    await Promise.resolve();
    expect(log).to.deep.equal(['a', 'b']);
    expect(limiter.load).to.deep.equal({ active: 2, waiting: 3 });
    jobs.a!.release();
    await results[0];
    await new Promise((r) => setTimeout(r));
    expect(log).to.deep.equal(['a', 'b', 'urgent']);
    for (const j of Object.values(jobs)) j.release();
    expect(await Promise.all(results)).to.deep.equal(['a', 'b', 'lazy1', 'lazy2', 'urgent']);
    expect(log).to.deep.equal(['a', 'b', 'urgent', 'lazy1', 'lazy2']);
  });

  it('drops a waiter whose signal fires, rejecting it with aborted, and never runs its job', async () => {
    const log: string[] = [];
    const limiter = new RequestLimiter(1);
    const first = gate(log, 'first');
    const running = limiter.run(new AbortController().signal, first.job);
    const controller = new AbortController();
    const waiting = limiter.run(controller.signal, gate(log, 'never').job);
    controller.abort();
    expect((await voxmarkRejection(waiting)).code).to.equal(ErrorCode.Aborted);
    expect(limiter.load.waiting).to.equal(0);
    first.release();
    await running;
    expect(log).to.deep.equal(['first']);
  });
});
