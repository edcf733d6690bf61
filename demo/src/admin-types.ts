/**
 * The admin JSON API (`/admin/api/*`) as the admin front end sees it. Field names follow the
 * gateway's where they are the gateway's (`out_trade_no`, `total_fee`), as the rest of the kit.
 * Pure types: imported by the server (src/admin.ts) and the browser (web/src/admin-page.ts).
 */

/**
 * The ledger's order states. `created` is awaiting payment; `closed` was given up (cashier timeout,
 * an abandoned link the sweeper closed); `paid_after_close` is a verified payment that arrived
 * after the order was closed: the money is real, deliver or refund it.
 */
export type AdminOrderStatus = 'created' | 'paid' | 'partially_refunded' | 'refunded' | 'closed' | 'paid_after_close';

/**
 * The ledger's refund states: `requested` (recorded before sending; a crash or lost reply leaves
 * it here), `accepted` (Alipay answered T, its notification follows), `possibly_done` (the answer
 * was ambiguous: Alipay may have executed it), `succeeded`, `failed` (a definitive refusal).
 */
export type AdminRefundStatus = 'requested' | 'accepted' | 'possibly_done' | 'succeeded' | 'failed';

export interface AdminOrderSummary {
  out_trade_no: string;
  trade_no?: string;
  status: AdminOrderStatus;
  currency: string;
  /** Order amount, decimal string in the currency's unit. */
  total_fee: string;
  /** Successfully refunded so far. */
  refunded_fee: string;
  subject: string;
  created_at: string;
  updated_at: string;
}

export interface AdminHistoryEntry {
  at: string;
  from?: string;
  to: string;
  /** What caused it: checkout, notification, return, query, refund, … */
  source: string;
  note?: string;
}

export interface AdminNotification {
  received_at: string;
  notify_type: string;
  notify_id?: string;
  /** trade_status or refund_status */
  status?: string;
  out_return_no?: string;
  /** How the kit handled it: applied, duplicate, rejected… */
  outcome: string;
  note?: string;
}

export interface AdminRefund {
  out_return_no: string;
  out_trade_no: string;
  /** Decimal string in `currency`: what a retry with the same `out_return_no` must send again. */
  amount: string;
  currency: string;
  status: AdminRefundStatus;
  reason?: string;
  created_at: string;
  updated_at?: string;
  /** `failed`: why it was refused; `possibly_done`: the last ambiguous answer (SYSTEM_ERROR, ERR_TIMEOUT…). */
  error?: string;
}

/** Notifications that failed verification (forged, corrupted, notify_verify said no): only counted. */
export interface AdminRejections {
  /** Every rejection since the ledger was created. */
  total: number;
  /** The newest few, newest first. */
  recent: { code: string; source: string | null; at: string }[];
}

/** What the gateway (sandbox dashboard or live query) says about the trade. */
export interface AdminGatewayView {
  trade_status?: string;
  trade_no?: string;
  /** Every notification attempt the sandbox made (sandbox only). */
  attempts?: {
    notify_type: string;
    n: number;
    duplicate: boolean;
    time: string;
    status: number | null;
    acknowledged: boolean;
    body: string | null;
  }[];
}

export interface AdminOrderDetail extends AdminOrderSummary {
  items: { name: string; qty: number; amount: string }[];
  /** What may still be refunded, decimal string. */
  refundable: string;
  history: AdminHistoryEntry[];
  notifications: AdminNotification[];
  refunds: AdminRefund[];
  gateway?: AdminGatewayView;
}

export interface AdminInfo {
  mode: 'sandbox' | 'live';
  shop: string;
  partner: string;
  signType: string;
  gateway: string;
  sandboxDashboard?: string;
  /** How often the router's sweeper runs (seconds); 0 = off. */
  sweepIntervalSeconds: number;
}

export interface AdminRate {
  currency: string;
  /** CNY per one unit. */
  rate: string;
  /** When the gateway last updated it (as the file says). */
  updated: string;
}

export interface AdminRates {
  fetched_at: string;
  rates: AdminRate[];
}

export type ReconRowKind =
  | 'matched'
  | 'missing_in_ledger'
  | 'missing_in_gateway'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'status_mismatch'
  | string;

export interface ReconRow {
  kind: ReconRowKind;
  /** P payment / R refund */
  type: string;
  out_trade_no?: string;
  out_return_no?: string;
  ledger_amount?: string;
  gateway_amount?: string;
  currency?: string;
  note?: string;
}

export interface ReconReport {
  from: string;
  to: string;
  generated_at: string;
  matched: number;
  differences: number;
  totals: { currency: string; payments: string; refunds: string; net: string }[];
  rows: ReconRow[];
}
