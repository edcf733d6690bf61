/**
 * The JSON contract between the widget and the server-kit router. It is defined once, in
 * `@alipay-kit/core/contract` (types only, nothing of it reaches the bundle), and re-exported
 * here with the widget's own types; field names are exactly as the router sends them.
 *
 * @example
 * ```ts
 * import type { CheckoutResponse } from '@alipay-kit/widget';
 * const res: CheckoutResponse = await (await fetch('/pay/checkout', { method: 'POST' })).json();
 * ```
 * @module
 */
import type { ErrorResponse, OrderStatusResponse, PublicOrderStatus } from '@alipay-kit/core/contract';

export type {
  AlipayErrorCode,
  CheckoutForm,
  CheckoutRequest,
  CheckoutResponse,
  CheckoutVariant,
  ErrorResponse,
  OrderStatusResponse,
  PublicOrder,
  PublicOrderStatus,
  ReturnRequest,
  ReturnResponse,
  RouterErrorCode,
} from '@alipay-kit/core/contract';

/**
 * What the element shows. `idle` → `loading` → `redirecting` on the way out; `verifying` →
 * `paid` | `pending` | `failed` on the return page; `error` from any request that fails.
 */
export type CheckoutState = 'idle' | 'loading' | 'redirecting' | 'verifying' | 'paid' | 'pending' | 'failed' | 'error';

/**
 * The widget's own error codes, for failures with no router answer to read: `NO_ENDPOINT` (no
 * `endpoint` attribute), `NETWORK_ERROR`, `TIMEOUT` (20 s), `BAD_RESPONSE` (a 2xx that is not
 * the contract's JSON, or a redirect to a non-http(s) URL), `HTTP_<status>` (an error status
 * without an `{ error: { code } }` body, e.g. a proxy's 502).
 */
export type WidgetErrorCode = 'NO_ENDPOINT' | 'NETWORK_ERROR' | 'TIMEOUT' | 'BAD_RESPONSE' | `HTTP_${number}`;

/** Which cashier to ask for: `web` (create_forex_trade), `wap` (create_forex_trade_wap), or detect. */
export type Variant = 'web' | 'wap' | 'auto';

/** `GET {endpoint}/orders/:outTradeNo` → 200: the same as {@link OrderStatusResponse} (a `PublicOrder`). */
export type OrderResponse = OrderStatusResponse;

/** Every error body the router sends with a 4xx/5xx status: the same as {@link ErrorResponse}. */
export type ErrorBody = ErrorResponse;
