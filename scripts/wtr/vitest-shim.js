// In the browser run, core's test files import { describe, it, assert, … } from 'vitest'.
// This module maps those names onto @web/test-runner's mocha globals and chai's assert, so
// the very same test files run in Node (vitest) and in Chromium.
import { assert, expect } from '@open-wc/testing';

const g = globalThis;
export const describe = (...a) => g.describe(...a);
export const it = (...a) => g.it(...a);
export const test = it;
export const beforeAll = (fn) => g.before(fn);
export const afterAll = (fn) => g.after(fn);
export const beforeEach = (fn) => g.beforeEach(fn);
export const afterEach = (fn) => g.afterEach(fn);
describe.skip = (...a) => g.describe.skip(...a);
it.skip = (...a) => g.it.skip(...a);
describe.each = () => {
  throw new Error('describe.each is not supported in the browser shim: loop over a table instead');
};
export { assert, expect };
