import { expect } from '@open-wc/testing';
import { lazyModule } from '../../../src/core/util/lazy.js';

describe('lazyModule', () => {
  it('loads once and shares the promise between callers', async () => {
    let loads = 0;
    const get = lazyModule(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).to.equal(b);
    expect(await get()).to.equal(a);
    expect(loads).to.equal(1);
  });

  it('does not keep a failed load: the next call tries again', async () => {
    let loads = 0;
    const get = lazyModule(async () => {
      if (++loads === 1) throw new Error('network blip');
      return 'module';
    });
    let error: unknown;
    await get().catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal('network blip');
    expect(await get()).to.equal('module');
    expect(await get()).to.equal('module');
    expect(loads).to.equal(2);
  });
});
