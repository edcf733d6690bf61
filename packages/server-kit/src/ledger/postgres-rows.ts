/**
 * The PostgreSQL ledger's row mapping and value checks: `pg` rows to records (bigint arrives as
 * a string, timestamptz as a `Date` — or as strings if a caller's pool parses them otherwise, so
 * the conversion happens here rather than through pool-wide type parsers), and the rules for
 * what text PostgreSQL can hold (no U+0000).
 *
 * @module
 */
import { _orderFromRow, _refundFromRow, type _Row, type _TimeMapping } from './rows.js';
import type { HookEvent, NewNotification, NotificationRecord, OrderRecord, RefundRecord } from './types.js';

type Row = _Row;

export const _num = (v: unknown): number => Number(v);
const num = _num;
const isoOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string | Date).toISOString();
/** A NOT NULL timestamptz column as ISO text. */
export const _iso = (v: unknown): string => new Date(v as string | Date).toISOString();
const iso = _iso;

const TIME: _TimeMapping = { iso, isoOrNull };
/** An order row as an {@link OrderRecord}. */
export const _toOrder = (r: Row): OrderRecord => _orderFromRow(r, TIME);
/** A refund row as a {@link RefundRecord}. */
export const _toRefund = (r: Row): RefundRecord => _refundFromRow(r, TIME);

/** A notifications row as a {@link NotificationRecord}. */
export function _toNotification(r: Row): NotificationRecord {
  return {
    id: num(r.id),
    received_at: iso(r.received_at),
    notify_id: (r.notify_id as string | null) ?? null,
    notify_type: (r.notify_type as string | null) ?? null,
    out_trade_no: (r.out_trade_no as string | null) ?? null,
    out_return_no: (r.out_return_no as string | null) ?? null,
    status: (r.status as string | null) ?? null,
    params: (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as Record<string, string>,
    outcome: r.outcome as string,
  };
}

/** An events row as a {@link HookEvent}. */
export const _toEvent = (r: Row): HookEvent => ({
  id: num(r.id),
  kind: r.kind as HookEvent['kind'],
  out_trade_no: r.out_trade_no as string,
  out_return_no: (r.out_return_no as string | null) ?? null,
});

/** A required text input: non-empty, and (PostgreSQL text cannot hold U+0000) without NUL. */
export const _str = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || v === '') throw new TypeError(`${name} must be a non-empty string`);
  if (v.includes('\0')) throw new TypeError(`${name} must not contain NUL`);
  return v;
};
/** Ids with NUL can never be stored, so they are simply absent (and must not reach the server). */
export const _storable = (id: string): boolean => typeof id === 'string' && !id.includes('\0');
/** Notification columns are evidence of hostile input too: keep the row, replace what text cannot hold. */
export const _text = (v: string | null): string | null => (v === null ? null : v.replace(/\0/g, '\uFFFD'));

/**
 * The notification columns of a batch as one array each, for `unnest`: notify_id, notify_type,
 * out_trade_no, out_return_no, status (text PostgreSQL can hold) and params (JSON text).
 *
 * @example
 * ```ts
 * const [ids, types, trades, returns, statuses, params] = _notificationColumns(inputs.map((x) => x.notification));
 * ```
 */
export function _notificationColumns(
  notes: ReadonlyArray<Omit<NewNotification, 'outcome'>>,
): Array<Array<string | null>> {
  return [
    notes.map((n) => _text(n.notify_id)),
    notes.map((n) => _text(n.notify_type)),
    notes.map((n) => _text(n.out_trade_no)),
    notes.map((n) => _text(n.out_return_no)),
    notes.map((n) => _text(n.status)),
    notes.map((n) => JSON.stringify(n.params)),
  ];
}
