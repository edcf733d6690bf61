/**
 * Refunds and injected refund outcomes (§6).
 *
 * @module
 */
import { prepared, type Db } from './db.js';

/** A stored refund row. */
export interface RefundRow {
  partner: string;
  out_return_no: string;
  out_trade_no: string;
  trade_no: string;
  currency: string;
  requested_field: 'return_amount' | 'return_rmb_amount';
  requested_amount: string;
  foreign_minor: number;
  cny_cents: number;
  status: 'REFUND_SUCCESS' | 'REFUND_FAIL';
  error_code: string | null;
  is_sync: 'Y' | 'N';
  reason: string | null;
  gmt_return: string;
  notify_url: string | null;
  charset: string;
  sign_type: string;
  created_at: number;
  settled_at: number | null;
  /** What the synchronous reply said: `T`, or the injected `SYSTEM_ERROR` of an executed refund (fault). */
  sync_answer: 'T' | 'SYSTEM_ERROR';
}

/** Refund queries. */
export function refundStore(db: Db) {
  return {
    get: (partner: string, outReturnNo: string) =>
      prepared(db, 'SELECT * FROM refunds WHERE partner = ? AND out_return_no = ?').get(partner, outReturnNo) as
        RefundRow | undefined,
    byOutReturnNo: (outReturnNo: string) =>
      prepared(db, 'SELECT * FROM refunds WHERE out_return_no = ?').all(outReturnNo) as RefundRow[],
    forTrade: (partner: string, tradeNo: string) =>
      prepared(db, 'SELECT * FROM refunds WHERE partner = ? AND trade_no = ? ORDER BY created_at, rowid').all(
        partner,
        tradeNo,
      ) as RefundRow[],
    all: (partner?: string) =>
      (partner === undefined
        ? prepared(db, 'SELECT * FROM refunds ORDER BY created_at, rowid').all()
        : prepared(db, 'SELECT * FROM refunds WHERE partner = ? ORDER BY created_at, rowid').all(
            partner,
          )) as RefundRow[],
    /** When the latest refund of `partner` (of its `outTradeNo` when given) was taken, ms; `undefined` when none. */
    lastCreatedAt(partner: string, outTradeNo?: string): number | undefined {
      const row = (
        outTradeNo === undefined
          ? prepared(db, 'SELECT MAX(created_at) AS t FROM refunds WHERE partner = ?').get(partner)
          : prepared(db, 'SELECT MAX(created_at) AS t FROM refunds WHERE partner = ? AND out_trade_no = ?').get(
              partner,
              outTradeNo,
            )
      ) as { t: number | null };
      return row.t ?? undefined;
    },
    insert(row: RefundRow): void {
      prepared(
        db,
        `INSERT INTO refunds (partner,out_return_no,out_trade_no,trade_no,currency,requested_field,requested_amount,foreign_minor,cny_cents,status,error_code,is_sync,reason,gmt_return,notify_url,charset,sign_type,created_at,settled_at,sync_answer)
         VALUES (@partner,@out_return_no,@out_trade_no,@trade_no,@currency,@requested_field,@requested_amount,@foreign_minor,@cny_cents,@status,@error_code,@is_sync,@reason,@gmt_return,@notify_url,@charset,@sign_type,@created_at,@settled_at,@sync_answer)`,
      ).run(row);
    },
    setStatus(partner: string, outReturnNo: string, status: RefundRow['status'], errorCode: string | null): void {
      prepared(db, 'UPDATE refunds SET status = ?, error_code = ? WHERE partner = ? AND out_return_no = ?').run(
        status,
        errorCode,
        partner,
        outReturnNo,
      );
    },
    outcome: (outReturnNo: string) =>
      prepared(db, 'SELECT outcome, error_code FROM refund_outcomes WHERE out_return_no = ?').get(outReturnNo) as
        { outcome: RefundRow['status']; error_code: string | null } | undefined,
    setOutcome(outReturnNo: string, outcome: RefundRow['status'], errorCode: string | null): void {
      prepared(
        db,
        'INSERT INTO refund_outcomes (out_return_no, outcome, error_code) VALUES (?, ?, ?) ON CONFLICT(out_return_no) DO UPDATE SET outcome = excluded.outcome, error_code = excluded.error_code',
      ).run(outReturnNo, outcome, errorCode);
    },
    settle(partner: string | undefined, before: number, at: number): number {
      const where = partner === undefined ? '' : ' AND partner = ?';
      const args = partner === undefined ? [at, before] : [at, before, partner];
      return prepared(
        db,
        `UPDATE refunds SET settled_at = ? WHERE status = 'REFUND_SUCCESS' AND settled_at IS NULL AND created_at <= ?${where}`,
      ).run(...args).changes;
    },
  };
}

/** The refund store's type. */
export type RefundStore = ReturnType<typeof refundStore>;
