/**
 * The JSON contract between the widget and the server-kit router. Field names are exactly as
 * the router sends them.
 *
 * @example
 * ```ts
 * import type { CheckoutResponse } from '@alipay-kit/widget';
 * const res: CheckoutResponse = await (await fetch('/pay/checkout', { method: 'POST' })).json();
 * ```
 * @module
 */

/** The order's state as the router's ledger records it. */
export type OrderStatus = 'pending' | 'paid' | 'closed' | 'refunded' | 'partially_refunded';

/**
 * What the element shows. `idle` → `loading` → `redirecting` on the way out; `verifying` →
 * `paid` | `pending` | `failed` on the return page; `error` from any request that fails.
 */
export type CheckoutState =
  | 'idle'
  | 'loading'
  | 'redirecting'
  | 'verifying'
  | 'paid'
  | 'pending'
  | 'failed'
  | 'error';

/** Which cashier to ask for: `web` (create_forex_trade), `wap` (create_forex_trade_wap), or detect. */
export type Variant = 'web' | 'wap' | 'auto';

/** The auto-submitted form alternative to the signed URL. */
export interface CheckoutForm {
  action: string;
  method: string;
  fields: Record<string, string>;
}

/** `POST {endpoint}/checkout` → 200. */
export interface CheckoutResponse {
  outTradeNo: string;
  /** The signed cashier URL; empty when the router wants the form posted instead. */
  url: string;
  form: CheckoutForm;
  /** Short-lived token binding this browser to the order; kept in `sessionStorage` only. */
  orderToken: string;
  expiresAt: string | number;
}

/** `POST {endpoint}/return` → 200. */
export interface ReturnResponse {
  outTradeNo: string;
  status: OrderStatus;
  verified: boolean;
}

/** `GET {endpoint}/orders/:outTradeNo` → 200. */
export interface OrderResponse {
  outTradeNo: string;
  status: OrderStatus;
  amount: string;
  currency: string;
  subject: string;
}

/** Every error body the router sends with a 4xx/5xx status. */
export interface ErrorBody {
  error: { code: string; message: string };
}
