/**
 * The sandbox's SQLite database: schema and the small `meta` table (clock offset). WAL for
 * files so a restart on the same file loses nothing (issue 3 "State").
 *
 * @module
 */
import Database from 'better-sqlite3';

/** The better-sqlite3 handle type. */
export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, partner TEXT NOT NULL, service TEXT NOT NULL, params TEXT NOT NULL,
  charset TEXT NOT NULL, sign_type TEXT NOT NULL, state TEXT NOT NULL, trade_no TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS trades (
  partner TEXT NOT NULL, out_trade_no TEXT NOT NULL, trade_no TEXT NOT NULL UNIQUE,
  service TEXT NOT NULL, subject TEXT NOT NULL, body TEXT, currency TEXT NOT NULL,
  priced_in TEXT NOT NULL, foreign_minor INTEGER NOT NULL, cny_cents INTEGER NOT NULL, rate TEXT NOT NULL,
  status TEXT NOT NULL, created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL,
  paid_at INTEGER, closed_at INTEGER, expires_at INTEGER NOT NULL,
  notify_url TEXT, return_url TEXT, charset TEXT NOT NULL, input_charset TEXT NOT NULL, sign_type TEXT NOT NULL,
  settled_at INTEGER, secondary_merchant_name TEXT, secondary_merchant_industry TEXT,
  PRIMARY KEY (partner, out_trade_no)
);
CREATE TABLE IF NOT EXISTS refunds (
  partner TEXT NOT NULL, out_return_no TEXT NOT NULL, out_trade_no TEXT NOT NULL, trade_no TEXT NOT NULL,
  currency TEXT NOT NULL, requested_field TEXT NOT NULL, requested_amount TEXT NOT NULL,
  foreign_minor INTEGER NOT NULL, cny_cents INTEGER NOT NULL, status TEXT NOT NULL, error_code TEXT,
  is_sync TEXT NOT NULL, reason TEXT, gmt_return TEXT NOT NULL, notify_url TEXT,
  charset TEXT NOT NULL, sign_type TEXT NOT NULL, created_at INTEGER NOT NULL, settled_at INTEGER,
  sync_answer TEXT NOT NULL DEFAULT 'T',
  PRIMARY KEY (partner, out_return_no)
);
CREATE TABLE IF NOT EXISTS refund_outcomes (out_return_no TEXT PRIMARY KEY, outcome TEXT NOT NULL, error_code TEXT);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT, partner TEXT NOT NULL, notify_type TEXT NOT NULL,
  out_trade_no TEXT NOT NULL, out_return_no TEXT, notify_url TEXT NOT NULL, charset TEXT NOT NULL,
  sign_type TEXT NOT NULL, fields TEXT NOT NULL, state TEXT NOT NULL, sends INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER, held INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (state, next_at);
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, notification_id INTEGER NOT NULL, n INTEGER NOT NULL,
  duplicate INTEGER NOT NULL, at INTEGER NOT NULL, notify_id TEXT NOT NULL, status INTEGER,
  body TEXT, error TEXT, acknowledged INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_notification ON attempts (notification_id, id);
CREATE TABLE IF NOT EXISTS notify_ids (notify_id TEXT PRIMARY KEY, partner TEXT NOT NULL, issued_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS secmerchants (
  partner TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, fields TEXT NOT NULL, status TEXT NOT NULL,
  reject_reason TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (partner, id)
);
`;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The statement for `sql` on `db`, prepared once and kept: preparing on every call was a tenth of
 * the sandbox's CPU under a notify_verify load (bench P2.notify_verify). Every SQL text the
 * stores pass is a constant or one of a few variants, so the cache stays small. Statements are
 * never switched to `raw`/`pluck` mode here, which a shared statement would carry to its next user.
 *
 * @example
 * ```ts
 * prepared(db, 'SELECT * FROM trades WHERE trade_no = ?').get('2026…')
 * ```
 */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) cache.set(sql, (st = db.prepare(sql)));
  return st;
}

/** Open (or create) the database and its schema. */
export function openDb(file: string): Db {
  const db = new Database(file);
  if (file !== ':memory:' && file !== '') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  migrate(db);
  return db;
}

/** Columns added after the first release, for data files written by an older sandbox. */
function migrate(db: Db): void {
  const has = (table: string, column: string) =>
    (prepared(db, `PRAGMA table_info(${table})`).all() as Array<{ name: string }>).some((c) => c.name === column);
  if (!has('refunds', 'sync_answer')) db.exec("ALTER TABLE refunds ADD COLUMN sync_answer TEXT NOT NULL DEFAULT 'T'");
  if (!has('trades', 'secondary_merchant_name')) db.exec('ALTER TABLE trades ADD COLUMN secondary_merchant_name TEXT');
  if (!has('trades', 'secondary_merchant_industry'))
    db.exec('ALTER TABLE trades ADD COLUMN secondary_merchant_industry TEXT');
}

/** Read a meta value. */
export function getMeta(db: Db, key: string): string | undefined {
  const row = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

/** Write a meta value. */
export function setMeta(db: Db, key: string, value: string): void {
  prepared(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}
