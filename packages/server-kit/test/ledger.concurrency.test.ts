// The refund remainder under real concurrency (§6.3: the sum of all refunds ≤ the amount paid):
// several OS processes on one SQLite file, and several pools / processes on one PostgreSQL
// schema, each asking for a 10.00 refund of the same 24.00 order at the same moment. Exactly two
// fit, whatever the interleaving, so the assertions hold on every run; the workers are released
// together by a message (armed first, then a tight loop of `go` sends), never by a sleep.
// PostgreSQL cases need ALIPAY_TEST_PG_URL (`source scripts/postgres.sh start`).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresLedger, createSqliteLedger, type Ledger, type NewRefund } from '../src/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const url = process.env.ALIPAY_TEST_PG_URL;

const PROCESSES = 6;
const ROUNDS = 5;
const TOTAL = 2400; // 24.00 USD
const AMOUNT = 1000; // 10.00 USD: two fit, a third would leave -6.00
const FITS = Math.floor(TOTAL / AMOUNT);

type Done = { ok: true; created: boolean } | { ok: false; code: string; message: string };

/** A forked ledger-worker.ts process and a way to await its next message carrying `key`. */
interface Worker {
  child: ChildProcess;
  next<T>(key: string): Promise<T>;
}

function startWorker(env: Record<string, string>): Promise<Worker> {
  const child = fork(join(here, 'helpers', 'ledger-worker.ts'), {
    execArgv: [
      '--import',
      tsx,
      ...(env.CLOCK_SKEW_MS ? ['--import', pathToFileURL(join(here, 'helpers', 'skew-clock.ts')).href] : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`ledger worker exited (${code}) while ${key} was awaited`));
      const on = (m: Record<string, unknown>) => {
        if (m && typeof m === 'object' && key in m) {
          child.off('message', on);
          child.off('exit', onExit);
          resolve(m[key] as T);
        }
      };
      child.on('message', on);
      child.once('exit', onExit);
    });
  return next<boolean>('ready').then(() => ({ child, next }));
}

async function startWorkers(env: Record<string, string>): Promise<Worker[]> {
  return Promise.all(Array.from({ length: PROCESSES }, () => startWorker(env)));
}

async function stopWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map((w) =>
      w.child.exitCode !== null || !w.child.connected
        ? undefined
        : new Promise((r) => (w.child.once('exit', r), w.child.send('stop'))),
    ),
  );
}

/** Arm every worker with its refund, then release them all at once; the answers in worker order. */
async function race(workers: Worker[], refunds: NewRefund[]): Promise<Done[]> {
  await Promise.all(workers.map((w, i) => (w.child.send({ arm: refunds[i] }), w.next<boolean>('armed'))));
  const answers = workers.map((w) => w.next<Done>('done')); // listening before the release
  for (const w of workers) w.child.send({ go: true });
  return Promise.all(answers);
}

const refundOf = (orderId: string, i: number, id = `${orderId}-p${i}`): NewRefund => ({
  out_return_no: id,
  out_trade_no: orderId,
  currency: 'USD',
  amount_minor: AMOUNT,
});

async function paidOrder(l: Ledger, id: string): Promise<void> {
  await l.createOrder({ out_trade_no: id, subject: 'Tea', currency: 'USD', total_fee_minor: TOTAL });
  await l.markPaid(id, { trade_no: `T-${id}`, source: 'notify' });
}

/** Per round: how many calls succeeded, and the order's committed refunds afterwards. */
async function checkRound(l: Ledger, orderId: string, answers: Done[]): Promise<number> {
  const accepted = answers.filter((a) => a.ok);
  const refused = answers.filter((a): a is Extract<Done, { ok: false }> => !a.ok);
  expect(accepted, JSON.stringify(answers)).toHaveLength(FITS);
  expect(accepted.every((a) => a.ok && a.created)).toBe(true);
  expect(refused.map((a) => a.code)).toEqual(Array(PROCESSES - FITS).fill('ERR_INVALID_AMOUNT'));
  for (const r of refused) expect(r.message).toBe('refund of 10.00 exceeds the refundable remainder 4.00 USD');
  const stored = await l.listRefunds(orderId);
  const sum = stored.reduce((s, r) => s + r.amount_minor, 0);
  expect(stored).toHaveLength(FITS);
  expect(sum).toBeLessThanOrEqual(TOTAL);
  return accepted.length;
}

/** Every process (or call) records the same out_return_no at once: one creates it, the others get it back. */
async function checkSameId(l: Ledger, orderId: string, answers: Done[]): Promise<void> {
  expect(
    answers.every((a) => a.ok),
    JSON.stringify(answers),
  ).toBe(true);
  expect(answers.filter((a) => a.ok && a.created)).toHaveLength(1);
  expect(await l.listRefunds(orderId)).toHaveLength(1);
}

describe('createRefund across processes on one SQLite file (BEGIN IMMEDIATE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ak-ledger-race-'));
  const file = join(dir, 'race.db');
  let ledger: Ledger;
  let workers: Worker[] = [];

  beforeAll(async () => {
    ledger = createSqliteLedger({ file }); // creates the file (WAL) before the workers open it
    workers = await startWorkers({ LEDGER_KIND: 'sqlite', LEDGER_FILE: file });
  }, 120_000);
  afterAll(async () => {
    await stopWorkers(workers);
    await ledger?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`should accept exactly ${FITS} of ${PROCESSES} concurrent 10.00 refunds of a 24.00 order, every round`, async () => {
    const perRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const id = `SQ${round}`;
      await paidOrder(ledger, id);
      perRound.push(
        await checkRound(
          ledger,
          id,
          await race(
            workers,
            workers.map((_, i) => refundOf(id, i)),
          ),
        ),
      );
    }
    console.log(
      `cross-process SQLite: ${PROCESSES} processes × ${ROUNDS} rounds of 10.00 refunds on a 24.00 order: accepted per round ${perRound.join(', ')} (of ${PROCESSES})`,
    );
  }, 120_000);

  it('should record one refund when every process sends the same out_return_no at once', async () => {
    await paidOrder(ledger, 'SQ-same');
    await checkSameId(
      ledger,
      'SQ-same',
      await race(
        workers,
        workers.map(() => refundOf('SQ-same', 0, 'SQ-same-r')),
      ),
    );
  }, 60_000);
});

describe.skipIf(!url)('createRefund across pools and processes on one PostgreSQL schema (SELECT … FOR UPDATE)', () => {
  const prefix = `ak_race${process.pid}_${Date.now().toString(36)}`;
  const schemas = [`${prefix}_pools`, `${prefix}_procs`, `${prefix}_clock`];
  const opened: Ledger[] = [];
  const openPg = async (schema: string): Promise<Ledger> => {
    const l = createPostgresLedger({ connectionString: url!, schema, max: 4 });
    opened.push(l);
    await l.ready();
    return l;
  };
  let workers: Worker[] = [];

  afterAll(async () => {
    await stopWorkers(workers);
    await Promise.all(opened.map((l) => l.close().catch(() => {})));
    const c = new pg.Client({ connectionString: url! });
    await c.connect();
    try {
      for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    } finally {
      await c.end();
    }
  });

  it(`should accept exactly ${FITS} of ${PROCESSES} concurrent refunds made through two ledger instances (two pools)`, async () => {
    const [a, b] = [await openPg(schemas[0]!), await openPg(schemas[0]!)];
    const perRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const id = `PP${round}`;
      await paidOrder(a!, id);
      const calls = Array.from({ length: PROCESSES }, (_, i) => refundOf(id, i));
      const answers = await Promise.all(
        calls.map((r, i) =>
          (i % 2 ? a! : b!).createRefund(r).then(
            (x): Done => ({ ok: true, created: x.created }),
            (e: { code: string; message: string }): Done => ({ ok: false, code: e.code, message: e.message }),
          ),
        ),
      );
      perRound.push(await checkRound(b!, id, answers));
    }
    await paidOrder(a!, 'PP-same');
    const same = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        (i % 2 ? a! : b!)
          .createRefund(refundOf('PP-same', 0, 'PP-same-r'))
          .then((x): Done => ({ ok: true, created: x.created })),
      ),
    );
    await checkSameId(a!, 'PP-same', same);
    console.log(
      `two pools PostgreSQL: ${PROCESSES} concurrent calls × ${ROUNDS} rounds of 10.00 refunds on a 24.00 order: accepted per round ${perRound.join(', ')} (of ${PROCESSES})`,
    );
  }, 120_000);

  it(`should accept exactly ${FITS} of ${PROCESSES} concurrent refunds from ${PROCESSES} processes`, async () => {
    const ledger = await openPg(schemas[1]!); // sets the schema up before the workers start
    workers = await startWorkers({ LEDGER_KIND: 'postgres', PG_URL: url!, PG_SCHEMA: schemas[1]! });
    const perRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const id = `PX${round}`;
      await paidOrder(ledger, id);
      perRound.push(
        await checkRound(
          ledger,
          id,
          await race(
            workers,
            workers.map((_, i) => refundOf(id, i)),
          ),
        ),
      );
    }
    await paidOrder(ledger, 'PX-same');
    await checkSameId(
      ledger,
      'PX-same',
      await race(
        workers,
        workers.map(() => refundOf('PX-same', 0, 'PX-same-r')),
      ),
    );
    console.log(
      `cross-process PostgreSQL: ${PROCESSES} processes × ${ROUNDS} rounds of 10.00 refunds on a 24.00 order: accepted per round ${perRound.join(', ')} (of ${PROCESSES})`,
    );
  }, 180_000);
  it('should judge hook claims by the database clock: a live claim is busy for a process whose clock runs 5 min ahead (regression: invariant suite, late_paid hook run twice)', async () => {
    const l = await openPg(schemas[2]!);
    await l.createOrder({ out_trade_no: 'SKEW-1', subject: 's', currency: 'USD', total_fee_minor: 100 });
    await l.markPaid('SKEW-1', { source: 'test' });
    expect((await l.claimOrderEvents('SKEW-1', { staleMs: 90_000 })).claimed).toHaveLength(1); // this process runs the hook now
    workers = [
      await startWorker({
        LEDGER_KIND: 'postgres',
        PG_URL: url!,
        PG_SCHEMA: schemas[2]!,
        CLOCK_SKEW_MS: String(5 * 60_000),
      }),
    ];
    workers[0]!.child.send({ claim: { id: 'SKEW-1', staleMs: 90_000 } });
    expect(await workers[0]!.next('claimed')).toEqual({ claimed: 0, busy: 1 });
  });
});
