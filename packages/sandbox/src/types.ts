/**
 * Public types of `@alipay-kit/sandbox`. Records keep the gateway's field names
 * (`out_trade_no`, `total_fee`, …) so what a QA engineer sees matches the wire.
 *
 * @module
 */
import type { SecmerchantStatus } from '@alipay-kit/core';
import type { Express } from 'express';

/** `sign_type` values the sandbox accepts on requests (DSA only for a merchant with a DSA key, §2.3). */
export type InboundSignType = 'MD5' | 'RSA' | 'RSA2' | 'DSA';

/** One merchant (partner) the sandbox knows. */
export interface MerchantConfig {
  /** The PID, e.g. `2088101122136241`. */
  partner: string;
  /** MD5 key (§2.2). */
  md5Key?: string;
  /** The merchant's own RSA public key (PEM or bare base64), used to verify RSA and RSA2 requests. */
  rsaPublicKey?: string;
  /** The merchant's DSA public key; only then is `sign_type=DSA` accepted (§2.3 decision). */
  dsaPublicKey?: string;
  /** Shown on the cashier page. */
  name?: string;
  /** Contracted settlement currencies (§3.5). Default: every currency with a sandbox rate. */
  currencies?: string[];
  /** `timeout_rule` values enabled for this partner (§3.6 decision). Default: every listed value. */
  enabledTimeoutRules?: string[];
  /** Refund window in days after payment (§6.3). Default 365. */
  refundWindowDays?: number;
  /** Layout of forex_compare_file / forex_liquidation_file (§8.4): legacy 9 columns (default) or the wide §9 layout with a header. */
  fileLayout?: 'legacy' | 'wide';
}

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** At least one merchant. */
  merchants: MerchantConfig[];
  /** better-sqlite3 file. Default `':memory:'`. */
  dataFile?: string;
  /** Divides the notification retry schedule and the trade timeout windows (60 → minutes become seconds). Default 1. */
  timeScale?: number;
  /** Injectable clock (ms epoch); the control clock offset is added on top. */
  now?: () => number;
  /** CNY per unit of each currency. Default: the §10 production capture. */
  rates?: Record<string, string>;
  /** How long a notify_id verifies (§7). Default 60 000 ms. */
  notifyVerifyTtlMs?: number;
  /**
   * The sandbox's own RSA key ("Alipay's"), PEM (the two halves must match). When absent, the
   * key stored in `dataFile` is reused, else a 2048-bit pair is generated (and stored in
   * `dataFile` when there is one), so merchants keep verifying after a restart.
   */
  keyPair?: { privateKey: string; publicKey: string };
  /** Absolute base URL used for cashier links, e.g. `http://127.0.0.1:4010`. Relative links otherwise. */
  publicBaseUrl?: string;
  /** Per-attempt notification timeout (§4 decision). Default 10 000 ms, not scaled. */
  notifyTimeoutMs?: number;
  /** Add the §3.9 "sometimes" fields (buyer_id, seller_id, forex_rate, rmb_fee) to payment notifications. */
  extendedNotificationFields?: boolean;
  /** Send a `TRADE_CLOSED` notification when an unpaid trade closes (§3.9: off by default). */
  notifyOnClose?: boolean;
  /** Longest forex_compare/liquidation file range in inclusive days (§8.2). Default 10. */
  fileMaxRangeDays?: number;
  /**
   * §4's optional lenient acknowledgement: a notification counts as acknowledged on HTTP 200 with
   * a body that is `success` once trimmed, in any case (`SUCCESS\n`). Default `false`: exactly
   * `success` (§4 decision).
   */
  lenientAcknowledgement?: boolean;
  /**
   * §6.3's optional refund throttle: a `forex_refund` (with valid parameters) within `intervalMs`
   * (default 3000) of the previous refund the gateway took, per partner (§6.3 "from the same
   * partner", the default) or per trade, is answered `SYSTEM_EXCEPTION` and not executed. `true`
   * = the defaults. Off by default: the document does not know whether the gateway enforces it.
   */
  refundThrottle?: boolean | RefundThrottle;
  /** Used to send notifications. Default global `fetch`. */
  fetch?: typeof fetch;
  /** Receives one line per event. Never receives keys or signatures. */
  logger?: (line: string) => void;
}

/** Settings of {@link SandboxOptions.refundThrottle}. */
export interface RefundThrottle {
  /** Minimum gap between two refunds, ms. Default 3000 (§6.3 "≥ 3 seconds"). */
  intervalMs?: number;
  /** Counted per partner (§6.3, default) or per trade. */
  per?: 'partner' | 'trade';
}

/** Fault injection (issue 3 "Faults"). Probabilities are 0..1. */
export interface FaultConfig {
  /** Delay every gateway answer by this many ms. */
  latencyMs?: number;
  /** Probability of answering HTTP 500 with no gateway body. */
  http5xx?: number;
  /** Probability of never answering (the client has to give up). */
  timeout?: number;
  /** Probability of cutting an XML answer in half. */
  truncateXml?: number;
  /** Extra copies of every notification attempt. */
  duplicateNotifications?: number;
  /** Hold new notifications and deliver a held batch newest first. */
  outOfOrderNotifications?: boolean;
  /** Send `+` in a return's `sign` raw, so the merchant's framework reads a space (§1.4 rule 6). */
  mangleSignPlus?: boolean;
  /** Answer XML as GBK (`encoding="GBK"`, GBK bytes), as the real gateway sometimes does (§1.3). */
  gbkResponses?: boolean;
  /**
   * Probability that a `forex_refund` which passed every §6.4 check is answered with the bare
   * `SYSTEM_ERROR` failure (§6.5, §1.5 envelope) instead of `T`.
   */
  refundSystemError?: number;
  /**
   * With {@link FaultConfig.refundSystemError}: whether the refund is executed anyway (stored,
   * counted, notified exactly as an accepted one). Default `true`, the dangerous case: the
   * merchant sees an error but the buyer was refunded. `false`: nothing happens, so a retry with
   * the same `out_return_no` succeeds normally.
   */
  refundSystemErrorApplied?: boolean;
  /**
   * Probability that a file service (`forex_compare_file`, `forex_liquidation_file`,
   * `forex_rate_file`) sends its headers (full `Content-Length`) and about half the body, then
   * destroys the connection.
   */
  cutFileStream?: number;
}

/** Which calls a fault applies to. `undefined` = every call. */
export interface FaultScope {
  partner?: string;
  service?: string;
}

/**
 * `trade_status` values a sandbox trade takes (§3.10): core's `TradeStatus` without
 * `TRADE_SUCCESS`, which this product never reports.
 */
export type SandboxTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_FINISHED' | 'TRADE_CLOSED';

/** A trade as the sandbox holds it (amounts formatted with two decimals). */
export interface TradeRecord {
  partner: string;
  trade_no: string;
  out_trade_no: string;
  service: string;
  subject: string;
  body?: string;
  currency: string;
  /** Foreign amount. */
  total_fee: string;
  /** CNY amount the buyer pays. */
  rmb_fee: string;
  /** Which figure the merchant priced in (§3.5). */
  priced_in: 'foreign' | 'cny';
  /** CNY per unit at the time of the trade. */
  rate: string;
  trade_status: SandboxTradeStatus;
  gmt_create: string;
  gmt_last_modified_time: string;
  gmt_payment?: string;
  gmt_close?: string;
  /** Foreign amount refunded successfully so far (every executed refund, whatever its synchronous answer said). */
  refunded_fee: string;
  /** CNY amount refunded successfully so far (the same refunds as `refunded_fee`). */
  refunded_rmb_fee: string;
  notify_url?: string;
  return_url?: string;
  sign_type: string;
  input_charset: string;
  settled?: string;
}

/** A refund (§6). */
export interface SandboxRefundRecord {
  partner: string;
  out_return_no: string;
  out_trade_no: string;
  trade_no: string;
  currency: string;
  /** `return_amount` or `return_rmb_amount`, whichever was requested. */
  requested_field: 'return_amount' | 'return_rmb_amount';
  requested_amount: string;
  /** Foreign amount of the refund. */
  return_amount: string;
  /** CNY amount of the refund. */
  return_rmb_amount: string;
  refund_status: 'REFUND_SUCCESS' | 'REFUND_FAIL';
  error_code?: string;
  /** True when the money went back to the buyer (`REFUND_SUCCESS`): counted in the trade's `refunded_fee`. */
  executed: boolean;
  /**
   * What the synchronous `forex_refund` reply told the merchant: `T`, or `SYSTEM_ERROR` when the
   * `refundSystemError` fault answered an error for a refund it executed anyway. (A refund the
   * fault answered without executing is not stored: it never happened at the gateway.)
   */
  sync_answer: 'T' | 'SYSTEM_ERROR';
  is_sync: 'Y' | 'N';
  reason?: string;
  gmt_return: string;
  created: string;
  notify_url?: string;
  settled?: string;
}

/** One send of a notification. */
export interface NotificationAttempt {
  /** 1-based send number; duplicates (fault) share the number of the send they copy. */
  n: number;
  duplicate: boolean;
  /** Sandbox clock, ms. */
  at: number;
  /** `at` in GMT+8. */
  time: string;
  notify_id: string;
  /** HTTP status, or `null` when the request failed (timeout, connection refused). */
  status: number | null;
  /** Response body (first 2 000 characters). */
  body: string | null;
  error: string | null;
  acknowledged: boolean;
}

/** A notification and every attempt to deliver it (§4). */
export interface SandboxNotificationRecord {
  id: number;
  partner: string;
  notify_type: 'trade_status_sync' | 'refund_status_sync';
  out_trade_no: string;
  out_return_no?: string;
  notify_url: string;
  sign_type: string;
  charset: string;
  /** The business fields (without notify_id, notify_time, sign, sign_type, which change per attempt). */
  fields: Record<string, string>;
  state: 'pending' | 'acknowledged' | 'failed';
  /** Sandbox-clock ms of the next send, `null` when finished. */
  next_attempt_at: number | null;
  created_at: number;
  attempts: NotificationAttempt[];
}

/** Filter for {@link SandboxControl.notifications}. */
export interface NotificationFilter {
  partner?: string;
  out_trade_no?: string;
  out_return_no?: string;
  notify_type?: 'trade_status_sync' | 'refund_status_sync';
  state?: SandboxNotificationRecord['state'];
}

/** Secondary-merchant statuses (§11.2; values invented by the document, §11.3 decision): core's type. */
export type { SecmerchantStatus };

/** A registered secondary merchant (§11). */
export interface SecmerchantRecord {
  partner: string;
  secondary_merchant_id: string;
  secondary_merchant_name: string;
  status: SecmerchantStatus;
  reject_reason?: string;
  fields: Record<string, string>;
  created: string;
  updated: string;
}

/** What {@link SandboxControl.simulatePayment} did. */
export interface SimulatePaymentResult {
  /** The signed return URL (absent when cancelled, timed out, or no `return_url`). */
  returnUrl?: string;
  tradeNo?: string;
  /** The gateway error code when the payment request or the buyer's login/payment was refused (§3.7). */
  errorCode?: string;
  /** Why, in words, when the sandbox knows more than the code (e.g. when the payment link expired). */
  errorDetail?: string;
}

/** The gateway's truth at one instant: every trade and every stored refund (of one partner, or all). */
export interface GatewaySnapshot {
  /** Sandbox clock, ms epoch, when the snapshot was taken. */
  now: number;
  trades: TradeRecord[];
  refunds: SandboxRefundRecord[];
}

/** Test and QA controls. Also served over HTTP under `/_sandbox/*`. */
export interface SandboxControl {
  /** The sandbox's ("Alipay's") RSA public key, PEM SPKI. Merchants verify RSA/RSA2 with it. */
  readonly publicKey: string;
  /** The sandbox's DSA public key, PEM SPKI (legacy DSA merchants verify with it, §2.3); generated on first use and kept in the data file. */
  dsaPublicKey(): string;
  /** Sandbox clock, ms epoch. */
  now(): number;
  /** Move the clock forward, running every notification attempt that falls due on the way, in order. */
  advanceClock(ms: number): Promise<void>;
  /** Deliver everything due now (and anything held by the out-of-order fault) and await it. */
  flushNotifications(): Promise<void>;
  /** Do what a browser and the test buyer would do with a payment URL. */
  simulatePayment(
    paymentUrl: string,
    opts?: { action?: 'pay' | 'cancel' | 'timeout' | 'login' },
  ): Promise<SimulatePaymentResult>;
  setFaults(scope: FaultScope | undefined, faults: FaultConfig): void;
  /** Clear every fault, or only the entry of `scope` (exactly that scope, as set). */
  clearFaults(scope?: FaultScope): void;
  /** Every trade (of `partner`, or of every partner), unpaid ones closed first when their window has passed (§3.6). */
  trades(partner?: string): TradeRecord[];
  /** Every stored refund (of `partner`, or of every partner), failed ones included, in creation order. */
  refunds(partner?: string): SandboxRefundRecord[];
  /** Trades and refunds read together, for invariant checks against a merchant's ledger. */
  snapshot(partner?: string): GatewaySnapshot;
  notifications(filter?: NotificationFilter): SandboxNotificationRecord[];
  /** Decide the outcome of an asynchronous refund (before or after it is requested, until delivered). */
  setRefundOutcome(outReturnNo: string, outcome: 'REFUND_SUCCESS' | 'REFUND_FAIL', errorCode?: string): void;
  /** Drive a secondary merchant's review (§11). */
  setSecmerchantStatus(partner: string, id: string, status: SecmerchantStatus, rejectReason?: string): void;
  secmerchants(partner?: string): SecmerchantRecord[];
  /** Mark unsettled payments and refunds (up to `before`, default now) as liquidated now (status `L`, §8.4). Returns how many rows changed. */
  settle(options?: { partner?: string; before?: number }): number;
}

/** A running sandbox. */
export interface Sandbox {
  /** Mount it or call `listen`; only `bin.ts` listens on its own. */
  app: Express;
  control: SandboxControl;
  /** Stop timers, end hanging responses, close the database. */
  close(): Promise<void>;
}
