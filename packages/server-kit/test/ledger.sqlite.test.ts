import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteLedger } from '../src/index.js';
import { runLedgerContract } from './ledger-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ak-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let clock = Date.parse('2026-03-01T00:00:00Z');

runLedgerContract('SQLite file (WAL)', () => createSqliteLedger({ file: join(dir, `l${n++}.db`), now: () => new Date(clock++) }), {
  advance: (ms) => (clock += ms),
});

describe('createSqliteLedger', () => {
  it('should persist across reopen (process restart) in WAL mode', async () => {
    const file = join(dir, 'persist.db');
    const a = createSqliteLedger({ file });
    await a.createOrder({ out_trade_no: 'K1', subject: 's', currency: 'USD', total_fee_minor: 5 });
    await a.markPaid('K1', { source: 'notify' });
    await a.close();
    const b = createSqliteLedger({ file });
    expect((await b.getOrder('K1'))?.status).toBe('paid');
    expect(await b.claimEvents('K1')).toHaveLength(1);
    await b.close();
  });
  it('should throw TypeError without a file', () => {
    expect(() => createSqliteLedger({} as never)).toThrow(/file/);
  });
});
