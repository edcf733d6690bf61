/**
 * Row mapping shared by the SQLite and PostgreSQL ledgers, so that both hand out records with
 * the same fields in the same order and the same null conventions (the contract suite compares
 * whole records). Each ledger passes its own timestamp conversion: SQLite stores ISO text
 * already; PostgreSQL hands back `Date` objects (or strings, if a caller's pool parses
 * timestamptz otherwise).
 *
 * @module
 */
import type { OrderFacts, OrderRecord, OrderStatus, RefundRecord } from './types.js';

/** A database row as a driver returns it. */
export type _Row = Record<string, unknown>;

/** How a ledger turns a stored timestamp into ISO text (`null` stays `null`). */
export interface _TimeMapping {
  /** A NOT NULL timestamp column. */
  iso(v: unknown): string;
  /** A nullable timestamp column. */
  isoOrNull(v: unknown): string | null;
}

// bigint columns arrive as strings from pg; SQLite gives numbers.
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));

/** An {@link OrderRecord} from an `orders` row (whatever the column order of the table). */
export function _orderFromRow(r: _Row, t: _TimeMapping): OrderRecord {
  return {
    out_trade_no: r.out_trade_no as string,
    subject: r.subject as string,
    body: textOrNull(r.body),
    currency: r.currency as string,
    total_fee_minor: numOrNull(r.total_fee_minor),
    rmb_fee_minor: numOrNull(r.rmb_fee_minor),
    variant: r.variant as 'web' | 'wap',
    status: r.status as OrderStatus,
    trade_no: textOrNull(r.trade_no),
    refunded_minor: num(r.refunded_minor),
    refunded_rmb_minor: num(r.refunded_rmb_minor),
    created_at: t.iso(r.created_at),
    updated_at: t.iso(r.updated_at),
    paid_at: t.isoOrNull(r.paid_at),
    metadata: textOrNull(r.metadata),
    expires_at: t.isoOrNull(r.expires_at),
    synced_at: t.isoOrNull(r.synced_at),
  };
}

/**
 * An {@link OrderFacts} from a row read as an array of `out_trade_no, currency, total_fee_minor,
 * status, paid_at` (the timestamp already ISO text or null).
 *
 * @example
 * ```ts
 * _orderFactsFromArray(['A1', 'USD', 1000, 'paid', '2026-03-01T04:00:00.000Z'])
 * ```
 */
export function _orderFactsFromArray(a: readonly unknown[]): OrderFacts {
  return {
    out_trade_no: a[0] as string,
    currency: a[1] as string,
    total_fee_minor: numOrNull(a[2]),
    status: a[3] as OrderStatus,
    paid_at: textOrNull(a[4]),
  };
}

/** A {@link RefundRecord} from a `refunds` row. */
export function _refundFromRow(r: _Row, t: _TimeMapping): RefundRecord {
  return {
    out_return_no: r.out_return_no as string,
    out_trade_no: r.out_trade_no as string,
    currency: r.currency as string,
    amount_minor: num(r.amount_minor),
    status: r.status as RefundRecord['status'],
    reason: textOrNull(r.reason),
    error_code: textOrNull(r.error_code),
    created_at: t.iso(r.created_at),
    updated_at: t.iso(r.updated_at),
  };
}
