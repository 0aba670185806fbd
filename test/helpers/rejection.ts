import { expect } from '@open-wc/testing';
import { VoxmarkError } from '../../src/core/index.js';

/** Awaits a promise that must reject with a VoxmarkError, and returns that error. */
export async function voxmarkRejection(promise: Promise<unknown>): Promise<VoxmarkError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a rejection with a VoxmarkError').to.be.instanceOf(VoxmarkError);
  return error as VoxmarkError;
}
