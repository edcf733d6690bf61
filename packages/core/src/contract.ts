/**
 * `@alipay-kit/core/contract`: the JSON contract between server-kit's router and the browser
 * (`<alipay-checkout>` and a merchant's own front end), defined once. Types only: this entry
 * has no runtime code, so `import type` from it adds no byte to a bundle.
 *
 * The router answers with these shapes (`satisfies`), the widget reads them. Field names are
 * exactly as they travel. Every 4xx/5xx answer is an {@link ErrorResponse}; `POST /notify`
 * answers the gateway with the text `success` / `fail` and is not part of this contract.
 *
 * @example
 * ```ts
 * // import type { CheckoutRequest, CheckoutResponse, ErrorResponse } — from the `@alipay-kit/core/contract` entry
 * const body: CheckoutRequest = { order: { sku: 'tea-250g', qty: 2 }, variant: 'web' };
 * const res = await post('/alipay/checkout', body); // the shop's own JSON POST helper
 * if (!res.ok) throw new Error(((await res.json()) as ErrorResponse).error.code);
 * const { url, orderToken } = (await res.json()) as CheckoutResponse;
 * ```
 * @module
 */
import type { AlipayErrorCode } from './errors.js';

export type { AlipayErrorCode, RouterErrorCode } from './errors.js';

/** Which cashier the payment is for: `web` (create_forex_trade) or `wap` (create_forex_trade_wap). */
export type CheckoutVariant = 'web' | 'wap';

/** `POST /checkout` body. The browser never sets the price: `order` goes to the merchant's `resolveOrder` hook as is. */
export interface CheckoutRequest {
  /** An opaque reference or a cart, read by the merchant's `resolveOrder`. */
  order?: unknown;
  /** Default `web`. */
  variant?: CheckoutVariant;
}

/** The auto-submitted form alternative to the signed URL. */
export interface CheckoutForm {
  action: string;
  method: string;
  fields: Record<string, string>;
}

/** `POST /checkout` → 200. */
export interface CheckoutResponse {
  outTradeNo: string;
  /** The signed cashier URL (`GET`). */
  url: string;
  /** The same payment as a form to post. */
  form: CheckoutForm;
  /** Short-lived token (a JWS) binding this browser to the order; the widget keeps it in `sessionStorage` only. */
  orderToken: string;
  /** When `orderToken` expires, ISO 8601 (UTC). */
  expiresAt: string;
}

/**
 * An order's status as the browser sees it. The ledger's `created` is shown as `pending`, and its
 * `paid_after_close` (paid after the merchant had closed the order) as `paid`: to the buyer the
 * payment went through; the merchant delivers or refunds it.
 */
export type PublicOrderStatus = 'pending' | 'paid' | 'closed' | 'refunded' | 'partially_refunded';

/** An order as the browser may see it (no buyer data, no gateway ids). */
export interface PublicOrder {
  outTradeNo: string;
  status: PublicOrderStatus;
  /** Decimal string, in `currency` — or in CNY when `rmb` is true. */
  amount: string;
  /** The settlement currency (ISO 4217). */
  currency: string;
  subject: string;
  /** The order was priced in CNY (`rmb_fee`, §3.5): `amount` is CNY. */
  rmb: boolean;
}

/** `GET /orders/:outTradeNo` (with `Authorization: Bearer <orderToken>`) → 200. */
export type OrderStatusResponse = PublicOrder;

/** `POST /return` body: the gateway's sync-return query string, raw, and the order token. */
export interface ReturnRequest {
  /** The raw query string (without `?`), at most 8192 characters. */
  query: string;
  orderToken?: string | null;
}

/** `POST /return` → 200. `verified`: the return's signature checked out (a hint only; the gateway's query or notification decides the status). */
export interface ReturnResponse {
  outTradeNo: string;
  status: PublicOrderStatus;
  verified: boolean;
}

/** `POST /refunds` body (admin, behind `authorize`). Without `amount`: a retry repeats the recorded amount, a new refund takes what is left. */
export interface RefundRequest {
  outTradeNo: string;
  /** Decimal string in the order's pricing currency (CNY for `rmb` orders). */
  amount?: string;
  /** At most 100 characters. */
  reason?: string;
  /** 1–64 letters, digits, `_` or `-`; the same value again retries the same refund (§6.3). */
  outReturnNo?: string;
}

/**
 * A refund's state as the ledger records it: `requested` (recorded, not answered yet),
 * `accepted` (the gateway said `T`; its notification settles it), `possibly_done` (an ambiguous
 * answer, resolved by a retry with the same `outReturnNo`, the notification or the compare file),
 * `succeeded`, `failed`.
 */
export type RefundResponseStatus = 'requested' | 'accepted' | 'possibly_done' | 'succeeded' | 'failed';

/** `POST /refunds` → 200 (a recorded refusal) or 202 (accepted, pending or succeeded). */
export interface RefundResponse {
  outReturnNo: string;
  outTradeNo: string;
  status: RefundResponseStatus;
  /** Decimal string in `currency`. */
  amount: string;
  /** The order's pricing currency (CNY for `rmb` orders). */
  currency: string;
}

/** `POST /reconcile` body (admin). Dates `YYYYMMDD` or `YYYY-MM-DD`, Beijing time. The answer is server-kit's `ReconcileReport`. */
export interface ReconcileRequest {
  startDate: string;
  endDate: string;
}

/** Every 4xx/5xx answer of the router. `code` is one of the kit's stable codes; switch on it, never on `message`. */
export interface ErrorResponse {
  error: {
    code: AlipayErrorCode;
    message: string;
  };
}
