/**
 * The PostgreSQL ledger's set-based path for the notifications of a batch that move nothing: a
 * repeated delivery for an order already in the state it announces (`duplicate`, protocol §4:
 * the gateway repeats a notification until it reads `success`) and a status that moves no order
 * (`to: null`, `ignored`). One statement stores every such notification row, instead of one
 * statement (and one more for the hook claim) per notification — the path a storm of gateway
 * retries takes.
 *
 * Only the notifications whose order has no hook event left to run are taken, when the caller
 * asked for a claim: theirs is the empty claim. An order with an open event is left to the
 * per-item path, which claims it. The batch holds every order of the batch `FOR UPDATE` (the
 * group commit's `prepare`), so no transition can add an event while this runs, and a finished
 * event never reopens.
 *
 * @module
 */
import { _settleTarget } from './rules.js';
import { _notificationColumns } from './postgres-rows.js';
import type { _Query } from './postgres-connection.js';
import type { OrderRecord, PaymentNotificationInput, PaymentNotificationResult } from './types.js';

/**
 * The statement for schema `s` (quoted). Parameters: $1 order ids, $2 claim flags, $3–$8
 * notification columns (notify_id, notify_type, out_trade_no, out_return_no, status, params as
 * JSON text), $9 outcomes, $10 received_at. Returns the (0-based) positions it stored.
 *
 * @example
 * ```ts
 * const sql = _repeatedPaymentsSql('"shop"');
 * ```
 */
export function _repeatedPaymentsSql(s: string): string {
  return `WITH i AS (
      SELECT * FROM unnest($1::text[], $2::boolean[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                           $8::text[], $9::text[]) WITH ORDINALITY
        AS t(id, claiming, notify_id, notify_type, n_trade, n_return, n_status, params, outcome, ord)),
    kept AS (SELECT * FROM i WHERE NOT (i.claiming AND EXISTS (
      SELECT 1 FROM ${s}.events e WHERE e.out_trade_no = i.id AND e.state <> 'done'))),
    n AS (INSERT INTO ${s}.notifications (received_at, notify_id, notify_type, out_trade_no, out_return_no, status, params, outcome)
          SELECT $10, notify_id, notify_type, n_trade, n_return, n_status, params::json, outcome FROM kept ORDER BY ord)
    SELECT ord - 1 AS i FROM kept`;
}

/**
 * Store the notifications among `inputs` that move nothing (their order, read in `read`, already
 * in the announced state, or `to: null`; cross-check passing; no open hook event when a claim is
 * asked) in one statement. `skip`: positions another step of the batch already settled. Returns
 * the result of each item it stored, by index, as the per-item path would: the order as read,
 * `changed: false`, and for a claim the empty one.
 *
 * @example
 * ```ts
 * const done = await _recordRepeatedPayments(q, { sql, name }, inputs, read, new Set(), stamp());
 * ```
 */
export async function _recordRepeatedPayments(
  q: _Query,
  statement: { sql: string; name: string },
  inputs: readonly PaymentNotificationInput[],
  read: ReadonlyMap<string, OrderRecord>,
  skip: ReadonlySet<number>,
  at: string,
): Promise<Map<number, PaymentNotificationResult>> {
  const picked: number[] = [];
  inputs.forEach((input, i) => {
    const order = read.get(input.out_trade_no);
    if (skip.has(i) || !order) return;
    if (input.to !== null && _settleTarget(order.status, input.to) !== null) return; // a transition
    try {
      input.check?.(order);
    } catch {
      return; // the per-item path runs it again and rejects that item alone
    }
    picked.push(i);
  });
  const done = new Map<number, PaymentNotificationResult>();
  if (picked.length === 0) return done;
  const col = <T>(f: (input: PaymentNotificationInput) => T): T[] => picked.map((i) => f(inputs[i]!));
  const rows = await q(
    statement.sql,
    [
      col((x) => x.out_trade_no),
      col((x) => x.claim !== undefined),
      ..._notificationColumns(col((x) => x.notification)),
      col((x) => (x.to === null ? 'ignored' : 'duplicate')),
      at,
    ],
    statement.name,
  );
  for (const r of rows) {
    const i = picked[Number(r.i)]!;
    const input = inputs[i]!;
    done.set(i, {
      changed: false,
      order: read.get(input.out_trade_no)!,
      outcome: input.to === null ? 'ignored' : 'duplicate',
      ...(input.claim ? { events: { claimed: [], busy: [] } } : {}),
    });
  }
  return done;
}
