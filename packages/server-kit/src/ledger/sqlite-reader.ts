/**
 * A read-only connection to the SQLite ledger's file in a worker thread, for reconciliation's
 * batch reads. better-sqlite3 is synchronous: in the caller's thread a million-row
 * reconciliation held the event loop about a microsecond per row in SQLite (notifications to the
 * same process waited), and the download's parsing could not overlap the lookups. In a worker
 * the statement runs beside both; WAL lets the reader see every committed write without
 * blocking the writer.
 *
 * The worker starts on first use and the caller's thread answers until it is ready, so a small
 * reconciliation never waits for a thread to start. It is `unref`'d while idle (it never keeps a
 * process alive) and stopped by `close()`. A worker that dies takes its pending reads with it
 * (each rejects) and the next read falls back to the caller's thread.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS, evaluated in the worker (a file beside this one would not exist when the
// sources run under a TypeScript loader). Statements are prepared once, in raw (array) mode.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', (m) => {
  try {
    let st = statements.get(m.sql);
    if (!st) statements.set(m.sql, (st = db.prepare(m.sql).raw(true)));
    parentPort.postMessage({ id: m.id, rows: st.all(...m.params) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: String((e && e.message) || e), code: e && e.code } });
  }
});
parentPort.postMessage({ ready: true });
`;

/** A read of raw rows, run in the worker when it is ready, else by `inThread`. */
export interface _SqliteReader {
  /** The rows of `sql` with `params`, as arrays. */
  all(sql: string, params: readonly unknown[], inThread: () => unknown[][]): Promise<unknown[][]>;
  /** Start the worker if it is not started; true once it answers reads, false if it cannot. */
  ready(): Promise<boolean>;
  /** Stop the worker (pending reads reject). */
  close(): Promise<void>;
}

type Pending = { resolve: (rows: unknown[][]) => void; reject: (e: Error) => void };

/**
 * The reader of the ledger file `file` (a path; `:memory:` has no file to share, so its reads
 * always run in the caller's thread). One worker: on the 2-core reference machine a million-row
 * reconciliation took 1.58–1.67 s with one, 1.76–1.90 s with two (the caller's thread parses and
 * matches meanwhile), 2.12–2.22 s with none (bench P6, three runs each).
 *
 * @example
 * ```ts
 * const reader = _sqliteReader('/var/lib/shop/alipay.db')
 * const rows = await reader.all('SELECT 1', [], () => db.prepare('SELECT 1').raw(true).all())
 * ```
 */
export function _sqliteReader(file: string): _SqliteReader {
  let worker: Worker | undefined;
  let ready = false;
  let started = false;
  let next = 0;
  const pending = new Map<number, Pending>();
  let settleReady: (ok: boolean) => void = () => {};
  const whenReady = new Promise<boolean>((r) => (settleReady = r));

  /** No worker from now on (it failed, died or was closed): reads in flight reject, later ones run in the caller's thread. */
  const stop = (why: string) => {
    worker = undefined;
    ready = false;
    settleReady(false);
    for (const p of pending.values()) p.reject(new Error(`ledger reader stopped: ${why}`));
    pending.clear();
  };
  const start = () => {
    started = true;
    if (file === ':memory:') return settleReady(false);
    let driver: string;
    try {
      driver = createRequire(import.meta.url).resolve('better-sqlite3');
    } catch {
      return settleReady(false);
    }
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
    w.unref();
    w.on(
      'message',
      (m: { ready?: true; id?: number; rows?: unknown[][]; error?: { message: string; code?: string } }) => {
        if (m.ready) return void ((ready = true), settleReady(true));
        const p = pending.get(m.id!);
        if (!p) return;
        pending.delete(m.id!);
        if (pending.size === 0) w.unref();
        if (m.error) p.reject(Object.assign(new Error(m.error.message), { name: 'SqliteError', code: m.error.code }));
        else p.resolve(m.rows!);
      },
    );
    // A worker that cannot open the file, or dies, is not restarted.
    w.on('error', (e) => worker === w && stop(e.message));
    w.on('exit', () => worker === w && stop('the worker exited'));
    worker = w;
  };

  return {
    all(sql, params, inThread) {
      if (!started) start();
      const w = worker;
      if (!ready || !w) {
        try {
          return Promise.resolve(inThread());
        } catch (e) {
          return Promise.reject(e);
        }
      }
      const id = next++;
      return new Promise<unknown[][]>((resolve, reject) => {
        if (pending.size === 0) w.ref(); // a pending read keeps the process alive, an idle worker does not
        pending.set(id, { resolve, reject });
        w.postMessage({ id, sql, params });
      });
    },
    ready() {
      if (!started) start();
      return whenReady;
    },
    async close() {
      started = true; // never (re)start after close
      const w = worker;
      stop('the ledger was closed');
      await w?.terminate();
    },
  };
}
