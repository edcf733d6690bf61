/**
 * Notifications, their attempts, and issued notify_ids (§4, §7).
 *
 * @module
 */
import { prepared, type Db } from './db.js';

/** A stored notification row. */
export interface NotificationRow {
  id: number;
  partner: string;
  notify_type: 'trade_status_sync' | 'refund_status_sync';
  out_trade_no: string;
  out_return_no: string | null;
  notify_url: string;
  charset: string;
  sign_type: string;
  /** JSON of ordered [name, value] pairs (business fields only). */
  fields: string;
  state: 'pending' | 'acknowledged' | 'failed';
  sends: number;
  next_at: number | null;
  held: number;
  created_at: number;
}

/** A stored attempt row. */
export interface AttemptRow {
  id: number;
  notification_id: number;
  n: number;
  duplicate: number;
  at: number;
  notify_id: string;
  status: number | null;
  body: string | null;
  error: string | null;
  acknowledged: number;
}

/** Notification queries. */
export function notificationStore(db: Db) {
  return {
    insert(row: Omit<NotificationRow, 'id'>): number {
      const r = prepared(
        db,
        'INSERT INTO notifications (partner,notify_type,out_trade_no,out_return_no,notify_url,charset,sign_type,fields,state,sends,next_at,held,created_at) VALUES (@partner,@notify_type,@out_trade_no,@out_return_no,@notify_url,@charset,@sign_type,@fields,@state,@sends,@next_at,@held,@created_at)',
      ).run(row);
      return Number(r.lastInsertRowid);
    },
    get: (id: number) =>
      prepared(db, 'SELECT * FROM notifications WHERE id = ?').get(id) as NotificationRow | undefined,
    all: () => prepared(db, 'SELECT * FROM notifications ORDER BY id').all() as NotificationRow[],
    /** Pending notifications due at or before `at` (held ones only when `includeHeld`). */
    due: (at: number, includeHeld: boolean) =>
      prepared(
        db,
        `SELECT * FROM notifications WHERE state = 'pending' AND (next_at <= ?${includeHeld ? ' OR held = 1' : ''}) ORDER BY next_at, id`,
      ).all(at) as NotificationRow[],
    nextDueAt: () =>
      (
        prepared(db, "SELECT MIN(next_at) AS t FROM notifications WHERE state = 'pending'").get() as {
          t: number | null;
        }
      ).t,
    afterSend(id: number, sends: number, state: NotificationRow['state'], nextAt: number | null): void {
      prepared(db, 'UPDATE notifications SET sends = ?, state = ?, next_at = ?, held = 0 WHERE id = ?').run(
        sends,
        state,
        nextAt,
        id,
      );
    },
    setFields(id: number, fields: string): void {
      prepared(db, 'UPDATE notifications SET fields = ? WHERE id = ?').run(fields, id);
    },
    forRefund: (partner: string, outReturnNo: string) =>
      prepared(
        db,
        "SELECT * FROM notifications WHERE partner = ? AND out_return_no = ? AND notify_type = 'refund_status_sync'",
      ).all(partner, outReturnNo) as NotificationRow[],
    insertAttempt(row: Omit<AttemptRow, 'id'>): void {
      prepared(
        db,
        'INSERT INTO attempts (notification_id,n,duplicate,at,notify_id,status,body,error,acknowledged) VALUES (@notification_id,@n,@duplicate,@at,@notify_id,@status,@body,@error,@acknowledged)',
      ).run(row);
    },
    attempts: (id: number) =>
      prepared(db, 'SELECT * FROM attempts WHERE notification_id = ? ORDER BY id').all(id) as AttemptRow[],
    issueNotifyId(notifyId: string, partner: string, at: number): void {
      prepared(db, 'INSERT OR REPLACE INTO notify_ids (notify_id, partner, issued_at) VALUES (?, ?, ?)').run(
        notifyId,
        partner,
        at,
      );
    },
    /** Who a notify_id was issued to, and when (notify_verify, §7: one primary-key lookup). */
    notifyId: (notifyId: string) =>
      prepared(db, 'SELECT partner, issued_at FROM notify_ids WHERE notify_id = ?').get(notifyId) as
        { partner: string; issued_at: number } | undefined,
  };
}

/** The notification store's type. */
export type NotificationStore = ReturnType<typeof notificationStore>;
