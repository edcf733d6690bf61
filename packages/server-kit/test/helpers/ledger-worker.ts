// One ledger user process for test/ledger.concurrency.test.ts, started with child_process.fork
// (IPC, `--import tsx`). It opens the ledger named by its environment — LEDGER_KIND=sqlite with
// LEDGER_FILE, or LEDGER_KIND=postgres with PG_URL and PG_SCHEMA — and imports the ledger modules
// directly (not the package index), so it runs whatever state the router files are in.
//
// Messages: it sends { ready: true } once the ledger is open. { claim: { id, staleMs } } claims
// that order's hook events and answers { claimed: { claimed, busy } } (counts). { arm: NewRefund } stores the call
// to make and answers { armed: true }; { go: true } makes it at once and answers { done }, where
// done is { ok: true, created } or { ok: false, code, message }. Arming first keeps the release
// message tiny, so the parent's loop of `go` sends is the barrier. 'stop' closes and exits.
import { createPostgresLedger } from '../../src/ledger/postgres.js';
import { createSqliteLedger } from '../../src/ledger/sqlite.js';
import type { Ledger, NewRefund } from '../../src/ledger/types.js';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`ledger-worker: ${k} is not set`);
  return v;
};

async function open(): Promise<Ledger> {
  if (env('LEDGER_KIND') === 'sqlite') return createSqliteLedger({ file: env('LEDGER_FILE') });
  const l = createPostgresLedger({ connectionString: env('PG_URL'), schema: env('PG_SCHEMA'), max: 2 });
  await l.ready();
  return l;
}

const ledger = await open();
let armed: NewRefund | undefined;

async function fire(refund: NewRefund): Promise<unknown> {
  try {
    const r = await ledger.createRefund(refund);
    return { ok: true, created: r.created };
  } catch (e) {
    const err = e as { code?: string; name?: string; message?: string };
    return { ok: false, code: err.code ?? err.name, message: err.message };
  }
}

process.on('message', (m: { arm?: NewRefund; go?: boolean; claim?: { id: string; staleMs: number } } | string) => {
  if (m === 'stop') {
    void ledger.close().then(() => process.exit(0));
    return;
  }
  if (typeof m !== 'object' || m === null) return;
  if (m.claim) {
    const { id, staleMs } = m.claim;
    void ledger
      .claimOrderEvents(id, { staleMs })
      .then((c) => process.send!({ claimed: { claimed: c.claimed.length, busy: c.busy.length } }));
  } else if (m.arm) {
    armed = m.arm;
    process.send!({ armed: true });
  } else if (m.go && armed) {
    const refund = armed;
    armed = undefined;
    void fire(refund).then((done) => process.send!({ done }));
  }
});
// If the test runner dies, do not linger.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
