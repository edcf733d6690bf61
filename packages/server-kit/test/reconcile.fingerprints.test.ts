// The fingerprint set reconciliation keeps of the compare file's paid ids (issue 17), and the
// exact answer to "which paid orders does the file lack" built on it, collisions included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _FingerprintSet, _fingerprinter, type _FingerprintFn } from '../src/reconcile/id-fingerprints.js';
import { _ordersMissingInFile } from '../src/reconcile/missing-in-file.js';
import type { OrderRecord } from '../src/index.js';

describe('_FingerprintSet', () => {
  it('should count each id once and never claim an id it was not given (growing past its first table)', () => {
    const seen = new _FingerprintSet(_fingerprinter(7));
    for (let i = 0; i < 5000; i++) seen.add(`ORD-${i}`);
    for (let i = 0; i < 5000; i += 3) seen.add(`ORD-${i}`);
    expect(seen.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(seen.has(`ORD-${i}`)).toBe(true);
    for (let i = 5000; i < 10_000; i++) expect(seen.has(`ORD-${i}`)).toBe(false);
  });

  it('should agree with a Set<string> on any ids (no false "not seen", size never above the distinct count)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 300 }), fc.integer(), (ids, seed) => {
        const seen = new _FingerprintSet(_fingerprinter(seed));
        const exact = new Set<string>();
        for (const id of ids.slice(0, ids.length >> 1)) (seen.add(id), exact.add(id));
        expect(seen.size).toBeLessThanOrEqual(exact.size);
        for (const id of ids) if (!seen.has(id)) expect(exact.has(id)).toBe(false);
      }),
    );
  });

  it('should keep an id whose fingerprint is [0, 0]', () => {
    const seen = new _FingerprintSet((id) => (id === 'Z' ? [0, 0] : [5, id.length]));
    seen.add('Z');
    expect(seen.has('Z')).toBe(true);
    expect(seen.size).toBe(1);
    expect(seen.has('Y')).toBe(false);
  });

  it('should stay exact when ids are added after it was read (the next read sorts again)', () => {
    const seen = new _FingerprintSet(_fingerprinter(11));
    for (const id of ['B', 'A', 'B']) seen.add(id);
    expect([seen.size, seen.has('A'), seen.has('C')]).toEqual([2, true, false]);
    for (const id of ['C', 'A', 'D']) seen.add(id);
    expect([seen.size, seen.has('C'), seen.has('D'), seen.has('E')]).toEqual([4, true, true, false]);
    expect(seen.size).toBe(4);
  });

  it('should tell 100,000 distinct ids apart (no 64-bit collision), and differ between seeds', () => {
    const seen = new _FingerprintSet(_fingerprinter(0x2545f491));
    for (let i = 0; i < 100_000; i++) seen.add(`ORD-${String(i).padStart(8, '0')}`);
    expect(seen.size).toBe(100_000);
    expect(_fingerprinter(1)('ORD-1')).not.toEqual(_fingerprinter(2)('ORD-1'));
    expect(_fingerprinter(1)('ORD-1')).toEqual(_fingerprinter(1)('ORD-1'));
    expect(_fingerprinter(0x9e3779b9)('ORD-1')).toEqual([974326773, -1365133114]); // the TSDoc example
  });
});

const order = (out_trade_no: string) => ({ out_trade_no }) as OrderRecord;

describe('_ordersMissingInFile', () => {
  const narrow: _FingerprintFn = (id) => [0, id.length]; // ids of one length collide

  it('should report orders whose fingerprint was never seen without reading the file again', async () => {
    const seen = new _FingerprintSet(_fingerprinter(3));
    seen.add('A1');
    seen.add('B22');
    let rereads = 0;
    const missing = await _ordersMissingInFile([order('A1'), order('C3'), order('B22')], seen, async () => {
      rereads++;
      return new Set();
    });
    expect(missing.map((o) => o.out_trade_no)).toEqual(['C3']);
    expect(rereads).toBe(0);
  });

  it('should ask the file about the listed orders that share a seen fingerprint, and only those', async () => {
    const seen = new _FingerprintSet(narrow);
    seen.add('A1'); // 'A2' and 'A3' share its fingerprint; 'LONG' and 'XY' were never seen
    seen.add('LONG');
    const asked: string[][] = [];
    const missing = await _ordersMissingInFile(
      [order('A1'), order('A2'), order('LONG'), order('XYZW9'), order('A3')],
      seen,
      async (ids) => (asked.push([...ids].sort()), new Set(['A1'])),
    );
    expect(asked).toEqual([['A1', 'A2', 'A3']]);
    expect(missing.map((o) => o.out_trade_no)).toEqual(['A2', 'XYZW9', 'A3']);
  });
});
