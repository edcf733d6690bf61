// _microtaskBatch (ledger/microtask-batch.ts): the hook completions of one microtask checkpoint
// share one write, and each caller settles with it.
import { describe, expect, it } from 'vitest';
import { _microtaskBatch } from '../src/ledger/microtask-batch.js';

describe('_microtaskBatch', () => {
  it('should write the calls made before its microtask runs together, and later calls in a write of their own', async () => {
    const writes: number[][] = [];
    const complete = _microtaskBatch(async (ids: number[]) => void writes.push(ids));
    // Continuations already queued when the first call is made run before the write: they join it.
    const queuedAhead = Promise.resolve().then(() => complete(2));
    const first = complete(1);
    // One queued after the write's microtask gets a write of its own.
    const queuedBehind = Promise.resolve().then(() => complete(3));
    await Promise.all([first, queuedAhead, queuedBehind]);
    await complete(4);
    expect(writes).toEqual([[1, 2], [3], [4]]);
  });

  it('should reject every call of a write that failed, and only those', async () => {
    let fail = true;
    const complete = _microtaskBatch(async (ids: number[]) => {
      if (fail) throw new Error(`refused ${ids.join(',')}`);
    });
    const r = await Promise.allSettled([complete(1), complete(2)]);
    expect(r.map((x) => (x.status === 'rejected' ? String(x.reason) : 'ok'))).toEqual([
      'Error: refused 1,2',
      'Error: refused 1,2',
    ]);
    fail = false;
    await expect(complete(3)).resolves.toBeUndefined();
  });
});
