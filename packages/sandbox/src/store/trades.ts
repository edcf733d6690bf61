/**
 * Trades and cashier sessions in SQLite. A session is the validated create_forex_trade request;
 * the trade itself only exists once the buyer logs in (§3.1).
 *
 * @module
 */
import { prepared, type Db } from './db.js';
import type { SandboxTradeStatus } from '../types.js';

/** A stored trade row (minor units and ms). */
export interface TradeRow {
  partner: string;
  out_trade_no: string;
  trade_no: string;
  service: string;
  subject: string;
  body: string | null;
  currency: string;
  priced_in: 'foreign' | 'cny';
  foreign_minor: number;
  cny_cents: number;
  rate: string;
  status: SandboxTradeStatus;
  created_at: number;
  modified_at: number;
  paid_at: number | null;
  closed_at: number | null;
  expires_at: number;
  notify_url: string | null;
  return_url: string | null;
  /** Normalised charset used for signing (`utf-8` | `gbk`). */
  charset: string;
  /** `_input_charset` as sent. */
  input_charset: string;
  sign_type: string;
  settled_at: number | null;
  /** As sent on create_forex_trade (§3.2); shown in the wide file layout (§9.3). */
  secondary_merchant_name: string | null;
  secondary_merchant_industry: string | null;
}

/** A stored cashier session. */
export interface SessionRow {
  id: string;
  partner: string;
  service: string;
  /** JSON of the received parameters. */
  params: string;
  charset: string;
  sign_type: string;
  state: 'open' | 'cancelled' | 'done';
  trade_no: string | null;
  created_at: number;
}

/** Trade and session queries. */
export function tradeStore(db: Db) {
  const byOut = prepared(db, 'SELECT * FROM trades WHERE partner = ? AND out_trade_no = ?');
  const byNo = prepared(db, 'SELECT * FROM trades WHERE partner = ? AND trade_no = ?');
  const byNoAny = prepared(db, 'SELECT * FROM trades WHERE trade_no = ?');
  return {
    byOutTradeNo: (partner: string, out: string) => byOut.get(partner, out) as TradeRow | undefined,
    byTradeNo: (partner: string, no: string) => byNo.get(partner, no) as TradeRow | undefined,
    tradeNoTaken: (no: string) => byNoAny.get(no) !== undefined,
    all: (partner?: string) =>
      (partner === undefined
        ? prepared(db, 'SELECT * FROM trades ORDER BY created_at, rowid').all()
        : prepared(db, 'SELECT * FROM trades WHERE partner = ? ORDER BY created_at, rowid').all(partner)) as TradeRow[],
    /** Insert, or replace the pending trade with the same out_trade_no (§3.11 "replace the pending order"). */
    upsert(row: TradeRow): void {
      prepared(
        db,
        `INSERT INTO trades (partner,out_trade_no,trade_no,service,subject,body,currency,priced_in,foreign_minor,cny_cents,rate,status,created_at,modified_at,paid_at,closed_at,expires_at,notify_url,return_url,charset,input_charset,sign_type,settled_at,secondary_merchant_name,secondary_merchant_industry)
         VALUES (@partner,@out_trade_no,@trade_no,@service,@subject,@body,@currency,@priced_in,@foreign_minor,@cny_cents,@rate,@status,@created_at,@modified_at,@paid_at,@closed_at,@expires_at,@notify_url,@return_url,@charset,@input_charset,@sign_type,@settled_at,@secondary_merchant_name,@secondary_merchant_industry)
         ON CONFLICT(partner,out_trade_no) DO UPDATE SET trade_no=excluded.trade_no,service=excluded.service,subject=excluded.subject,body=excluded.body,currency=excluded.currency,priced_in=excluded.priced_in,foreign_minor=excluded.foreign_minor,cny_cents=excluded.cny_cents,rate=excluded.rate,status=excluded.status,created_at=excluded.created_at,modified_at=excluded.modified_at,paid_at=excluded.paid_at,closed_at=excluded.closed_at,expires_at=excluded.expires_at,notify_url=excluded.notify_url,return_url=excluded.return_url,charset=excluded.charset,input_charset=excluded.input_charset,sign_type=excluded.sign_type,settled_at=NULL,secondary_merchant_name=excluded.secondary_merchant_name,secondary_merchant_industry=excluded.secondary_merchant_industry`,
      ).run(row);
    },
    setStatus(partner: string, tradeNo: string, status: SandboxTradeStatus, at: number): void {
      const col = status === 'TRADE_FINISHED' ? 'paid_at' : status === 'TRADE_CLOSED' ? 'closed_at' : undefined;
      prepared(
        db,
        `UPDATE trades SET status = ?, modified_at = ?${col ? `, ${col} = ?` : ''} WHERE partner = ? AND trade_no = ?`,
      ).run(...(col ? [status, at, at, partner, tradeNo] : [status, at, partner, tradeNo]));
    },
    settle(partner: string | undefined, before: number, at: number): number {
      const where = partner === undefined ? '' : ' AND partner = ?';
      const args = partner === undefined ? [at, before] : [at, before, partner];
      return prepared(
        db,
        `UPDATE trades SET settled_at = ? WHERE status = 'TRADE_FINISHED' AND settled_at IS NULL AND paid_at <= ?${where}`,
      ).run(...args).changes;
    },
    // sessions
    insertSession(row: SessionRow): void {
      prepared(
        db,
        'INSERT INTO sessions (id,partner,service,params,charset,sign_type,state,trade_no,created_at) VALUES (@id,@partner,@service,@params,@charset,@sign_type,@state,@trade_no,@created_at)',
      ).run(row);
    },
    session: (id: string) => prepared(db, 'SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined,
    updateSession(id: string, state: SessionRow['state'], tradeNo: string | null): void {
      prepared(db, 'UPDATE sessions SET state = ?, trade_no = ? WHERE id = ?').run(state, tradeNo, id);
    },
  };
}

/** The trade store's type. */
export type TradeStore = ReturnType<typeof tradeStore>;
