/**
 * The PostgreSQL ledger's schema, created (or brought up to date) at start under a
 * transaction-level advisory lock by `createPostgresLedger`. Every statement is idempotent
 * (`IF NOT EXISTS`, `ON CONFLICT`), so it is both the creation script and the migration from
 * any earlier version; `ledger_meta.schema_version` lets a process skip it (and the lock) when
 * the schema is current, e.g. for a role without DDL rights on a schema a DBA set up.
 *
 * Versions: 1 — orders, refunds, notifications, history, events. 2 — `orders.expires_at`,
 * `orders.synced_at`, the rejection ring, indexes for the sweeper and open refunds, one
 * `late_paid` event per order. 3 — reconciliation indexes: `orders (status, paid_at)`,
 * `refunds (status, updated_at)`.
 *
 * @module
 */
import type { PgPoolLike } from './postgres-connection.js';
import { REJECTION_RING_SIZE } from './types.js';

/** The version {@link _schemaSql} brings a schema to. */
export const _SCHEMA_VERSION = 3;

/**
 * The DDL for schema `s` (already quoted). Timestamps are timestamptz; minor amounts bigint
 * (KRW/IDR totals outgrow int4); claims are epoch milliseconds from the injectable clock, as in
 * the SQLite ledger.
 */
export const _schemaSql = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.ledger_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.orders (
  out_trade_no text PRIMARY KEY, subject text NOT NULL, body text, currency text NOT NULL,
  total_fee_minor bigint, rmb_fee_minor bigint, variant text NOT NULL, status text NOT NULL,
  trade_no text, refunded_minor bigint NOT NULL DEFAULT 0, refunded_rmb_minor bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, paid_at timestamptz, metadata text);
-- v2: added to tables made by v1.
ALTER TABLE ${s}.orders ADD COLUMN IF NOT EXISTS expires_at timestamptz, ADD COLUMN IF NOT EXISTS synced_at timestamptz;
CREATE INDEX IF NOT EXISTS orders_paid_at ON ${s}.orders (paid_at);
CREATE INDEX IF NOT EXISTS orders_created_at ON ${s}.orders (created_at);
CREATE INDEX IF NOT EXISTS orders_status_created ON ${s}.orders (status, created_at);
CREATE TABLE IF NOT EXISTS ${s}.refunds (
  out_return_no text PRIMARY KEY, out_trade_no text NOT NULL REFERENCES ${s}.orders (out_trade_no),
  currency text NOT NULL, amount_minor bigint NOT NULL, status text NOT NULL, reason text, error_code text,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS refunds_trade ON ${s}.refunds (out_trade_no);
CREATE INDEX IF NOT EXISTS refunds_status ON ${s}.refunds (status, created_at);
-- v3: reconciliation's range queries (orders paid in range per status, refunds updated in range).
CREATE INDEX IF NOT EXISTS orders_status_paid ON ${s}.orders (status, paid_at);
CREATE INDEX IF NOT EXISTS refunds_status_updated ON ${s}.refunds (status, updated_at);
CREATE TABLE IF NOT EXISTS ${s}.notifications (
  id bigserial PRIMARY KEY, received_at timestamptz NOT NULL, notify_id text, notify_type text,
  out_trade_no text, out_return_no text, status text, params json NOT NULL, outcome text NOT NULL);
CREATE INDEX IF NOT EXISTS notifications_trade ON ${s}.notifications (out_trade_no);
CREATE INDEX IF NOT EXISTS notifications_refund ON ${s}.notifications (out_return_no);
CREATE TABLE IF NOT EXISTS ${s}.history (
  id bigserial PRIMARY KEY, out_trade_no text NOT NULL, from_status text, to_status text NOT NULL,
  source text NOT NULL, at timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS history_trade ON ${s}.history (out_trade_no);
CREATE TABLE IF NOT EXISTS ${s}.events (
  id bigserial PRIMARY KEY, kind text NOT NULL, out_trade_no text NOT NULL, out_return_no text,
  state text NOT NULL, claimed_at bigint);
CREATE INDEX IF NOT EXISTS events_trade ON ${s}.events (out_trade_no, state);
-- Second line of defence behind the compare-and-set: one fulfilment event per order/refund.
CREATE UNIQUE INDEX IF NOT EXISTS events_once_per_order ON ${s}.events (out_trade_no, kind) WHERE kind IN ('paid', 'closed');
CREATE UNIQUE INDEX IF NOT EXISTS events_once_late_paid ON ${s}.events (out_trade_no) WHERE kind = 'late_paid';
CREATE UNIQUE INDEX IF NOT EXISTS events_once_per_refund ON ${s}.events (out_return_no) WHERE kind = 'refunded';
-- The rejection ring: at most ${REJECTION_RING_SIZE} rows, slot = (seq - 1) % ${REJECTION_RING_SIZE}, plus one counter row.
CREATE TABLE IF NOT EXISTS ${s}.rejections (slot int PRIMARY KEY, seq bigint NOT NULL, code text NOT NULL, source text, at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.rejection_total (id int PRIMARY KEY CHECK (id = 1), total bigint NOT NULL);
INSERT INTO ${s}.rejection_total (id, total) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
-- Never lowers the version a newer release may have written.
INSERT INTO ${s}.ledger_meta (key, value) VALUES ('schema_version', '${_SCHEMA_VERSION}')
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
  WHERE CASE WHEN ${s}.ledger_meta.value ~ '^[0-9]{1,9}$' THEN ${s}.ledger_meta.value::int < ${_SCHEMA_VERSION} ELSE true END;
`;

/**
 * Create or migrate schema `schema` (`s` is it quoted). Already current (perhaps set up by a
 * DBA, for a role without DDL rights): no lock, no DDL. Otherwise the DDL runs in a transaction
 * under an advisory lock per schema, because concurrent `CREATE … IF NOT EXISTS` can still
 * collide in the catalog when several processes start together (released at COMMIT/ROLLBACK).
 */
export async function _migrate(pool: PgPoolLike, s: string, schema: string): Promise<void> {
  const [meta] = (await pool.query('SELECT to_regclass($1) AS t', [`${s}.ledger_meta`])).rows as Array<{ t: unknown }>;
  if (meta?.t) {
    const [v] = (await pool.query(`SELECT value FROM ${s}.ledger_meta WHERE key = 'schema_version'`)).rows as Array<{
      value: unknown;
    }>;
    if (Number(v?.value) >= _SCHEMA_VERSION) return;
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`alipay-kit ledger ${schema}`]);
    await client.query(_schemaSql(s));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
