// The SQLite ledger's reconciliation reader (issue 17): a read-only connection in a worker
// thread. Reads run in the caller's thread until the worker is ready, then in the worker, and
// see every committed write; a worker that cannot start or fails leaves reads in the caller's
// thread; an idle worker never keeps a process alive. Real files and real worker threads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { _sqliteReader } from '../src/ledger/sqlite-reader.js';
import { _sqliteCheckPaymentRows } from '../src/ledger/sqlite-reconcile.js';
import { createSqliteLedger } from '../src/index.js';

const require = createRequire(import.meta.url);
const BetterSqlite = require('better-sqlite3') as typeof Database;
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'ak-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A WAL database file with a table `t` of `rows` integers, as the ledger opens its own. */
function database(rows: number): Database.Database {
  const db = new BetterSqlite(join(dir, `r${n++}.db`));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v INTEGER)');
  const ins = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 1; i <= rows; i++) ins.run(i);
  return db;
}

describe('_sqliteReader', () => {
  it('should answer in the caller’s thread until the worker is ready, then in the worker, seeing committed writes', async () => {
    const db = database(3);
    const reader = _sqliteReader(db.name);
    let inThread = 0;
    const local = () => (inThread++, db.prepare('SELECT SUM(v) FROM t').raw(true).all() as unknown[][]);
    expect(await reader.all('SELECT SUM(v) FROM t', [], local)).toEqual([[6]]); // the worker is only starting
    expect(inThread).toBe(1);
    expect(await reader.ready()).toBe(true);
    db.prepare('INSERT INTO t VALUES (?)').run(10); // committed (autocommit) before the read
    expect(await reader.all('SELECT SUM(v) FROM t WHERE v > ?', [0], local)).toEqual([[16]]);
    expect(inThread).toBe(1); // answered by the worker
    await reader.close();
    db.close();
  });

  it('should reject a failing statement with the driver’s message and code, and go on serving', async () => {
    const db = database(1);
    const reader = _sqliteReader(db.name);
    expect(await reader.ready()).toBe(true);
    const e = await reader
      .all('SELECT nope FROM t', [], () => [])
      .catch((x: unknown) => x as Error & { code?: string });
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/no such column: nope/);
    expect((e as { code?: string }).code).toBe('SQLITE_ERROR');
    expect(await reader.all('SELECT COUNT(*) FROM t', [], () => [])).toEqual([[1]]);
    await reader.close();
    db.close();
  });

  it('should keep reads in the caller’s thread when no worker can open the file, or for :memory:', async () => {
    const missing = _sqliteReader(join(dir, 'does-not-exist.db'));
    expect(await missing.ready()).toBe(false);
    expect(await missing.all('SELECT 1', [], () => [['here']])).toEqual([['here']]);
    await missing.close();
    const memory = _sqliteReader(':memory:');
    expect(await memory.ready()).toBe(false);
    expect(await memory.all('SELECT 1', [], () => [['here']])).toEqual([['here']]);
    await memory.close();
  });

  it('should reject the reads in flight when it is closed', async () => {
    const db = database(1);
    const reader = _sqliteReader(db.name);
    expect(await reader.ready()).toBe(true);
    // A recursive CTE long enough to still run when close() arrives.
    const slow = reader
      .all(
        'WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50000000) SELECT COUNT(*) FROM c',
        [],
        () => [],
      )
      .then(
        () => 'answered',
        (e: Error) => e.message,
      );
    await reader.close();
    expect(await slow).toBe('ledger reader stopped: the ledger was closed');
    db.close();
  });

  it('should never keep a process alive: a reader left open after a worker read lets node exit', () => {
    const db = database(2);
    db.close();
    const script = join(dir, 'exit.mjs');
    writeFileSync(
      script,
      `import { _sqliteReader } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../src/ledger/sqlite-reader.ts')).href)};
const reader = _sqliteReader(${JSON.stringify(db.name)});
if (!(await reader.ready())) throw new Error('no worker');
console.log(JSON.stringify(await reader.all('SELECT COUNT(*) FROM t', [], () => { throw new Error('not in the worker'); })));
// no close(): the process must still end
`,
    );
    const out = execFileSync(process.execPath, ['--import', tsx, script], { timeout: 60_000, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([[2]]);
  });
});

describe('the SQLite ledger’s checkPaymentRows through the reader', () => {
  it('should give the same answer in the worker as in the caller’s thread', async () => {
    const file = join(dir, `l${n++}.db`);
    const ledger = createSqliteLedger({ file });
    await ledger.createOrder({ out_trade_no: 'W1', subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
    const { order } = await ledger.markPaid('W1', { trade_no: 'T-W1', source: 'notify' });
    const range = { from: order.paid_at!, to: new Date(Date.parse(order.paid_at!) + 1).toISOString() };
    const rows = [
      { out_trade_no: 'W1', currency: 'USD', amount_minor: 1000 },
      { out_trade_no: 'W1', currency: 'USD', amount_minor: 999 },
      { out_trade_no: 'W2', currency: 'USD', amount_minor: 1000 },
    ];
    const db = new BetterSqlite(file);
    const worker = _sqliteReader(file);
    expect(await worker.ready()).toBe(true);
    const inWorker = await _sqliteCheckPaymentRows(db, worker, rows, range);
    const inThread = await _sqliteCheckPaymentRows(db, _sqliteReader(':memory:'), rows, range);
    expect(inWorker).toEqual(inThread);
    expect(inWorker).toEqual([
      {
        index: 1,
        order: { out_trade_no: 'W1', currency: 'USD', total_fee_minor: 1000, status: 'paid', paid_at: order.paid_at },
      },
      { index: 2, order: null },
    ]);
    expect(await ledger.checkPaymentRows(rows, range)).toEqual(inWorker);
    await worker.close();
    db.close();
    await ledger.close();
  });
});
