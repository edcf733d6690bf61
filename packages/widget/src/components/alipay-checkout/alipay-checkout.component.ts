import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { Messages } from '../../i18n/en.js';
import { resolveMessages } from '../../i18n/resolve.js';
import { codedError, requestJson, type CodedError } from '../../lib/http.js';
import { isGatewayReturn, orderRef } from '../../lib/return-query.js';
import type { CheckoutResponse, CheckoutState, OrderResponse, ReturnResponse } from '../../types.js';
import { styles } from './alipay-checkout.styles.js';

/** sessionStorage key prefix; the order token lives there for the tab's life (and its own `exp`), so that a reload of the return page reads the order again. */
export const TOKEN_KEY = 'alipay-checkout:token:';

/** `order` attribute: JSON when it looks like an object or array, the plain string otherwise. */
const parseOrder = (value: string | null): unknown => {
  if (value && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      // not JSON after all: an opaque reference
    }
  }
  return value;
};

// sessionStorage can throw (storage disabled, Safari private mode): the flow then runs without
// a token and stops at the `pending` state instead of polling.
const session = (op: (s: Storage) => string | null | void): string | null | void => {
  try {
    return op(sessionStorage);
  } catch {
    return null;
  }
};

// Not abortable by itself: after the element leaves the page the next request fails ABORTED.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isHttp = (url: string) => /^https?:$/.test(new URL(url, location.href).protocol);

const MARK = html`<svg class="mark" part="icon" viewBox="0 0 24 24" aria-hidden="true">
  <rect width="24" height="24" rx="6" />
  <path d="M5 7.5h14M12 4v7.5M7.5 11.5h9c-1.6 4-5 6.6-10 8M9.5 14.5c2.4 2.6 5.4 4.3 9 5" />
</svg>`;
const SPIN = html`<span class="spin" part="spinner" aria-hidden="true"></span>`;
const icon = (d: string) =>
  html`<svg part="status-icon" viewBox="0 0 24 24" aria-hidden="true">
    <circle cx="12" cy="12" r="10" />
    <path d=${d} />
  </svg>`;
const ICONS: Partial<Record<CheckoutState, unknown>> = {
  verifying: SPIN,
  paid: icon('M7 12.5l3.5 3.5L17 9'),
  pending: icon('M12 7v5l3 2'),
  failed: icon('M9 9l6 6M15 9l-6 6'),
  error: icon('M12 7v6M12 16.5v.5'),
};

/**
 * `<alipay-checkout>`: the pay button for Alipay's cross-border website payment, and the result
 * on the return page.
 *
 * Click → `POST {endpoint}/checkout` → `alipay-checkout:redirect` (cancelable) → the cashier.
 * Back on the page (the gateway's parameters in `location.search`) the same element hands the
 * query and the order token to `POST {endpoint}/return`, leaves only `?out_trade_no=…` in the
 * address bar (a reload reads that order again with the stored token), polls `GET {endpoint}/orders/:outTradeNo` with backoff and shows paid, pending or failed.
 *
 * @summary Pay with Alipay: button, redirect, and verified result.
 *
 * @fires alipay-checkout:redirect - Before leaving for the cashier; cancelable. Detail `{ outTradeNo, url, form }`.
 * @fires alipay-checkout:paid - The server confirmed the payment. Detail `{ outTradeNo, status }`.
 * @fires alipay-checkout:pending - No confirmation before `poll-timeout`. Detail `{ outTradeNo }`.
 * @fires alipay-checkout:failed - The trade was closed unpaid. Detail `{ outTradeNo, status }`.
 * @fires alipay-checkout:error - A request failed. Detail `{ code }`.
 *
 * @csspart button - The pay button.
 * @csspart icon - The Alipay mark inside the pay button.
 * @csspart spinner - The busy indicator (loading, redirecting, verifying).
 * @csspart status - The status lines (a polite live region and an assertive one for errors).
 * @csspart status-icon - The icon of a status line.
 * @csspart retry - The retry button (error state) and the check-again button (pending state).
 *
 * @cssprop [--alipay-checkout-color=#1677ff] - Brand colour: pay button, mark, focus ring, pending icon.
 * @cssprop [--alipay-checkout-text-color=#fff] - Pay button text and mark background.
 * @cssprop [--alipay-checkout-link-color=#0958d9] - Retry button text and border.
 * @cssprop [--alipay-checkout-success-color=#1a7f37] - Paid icon.
 * @cssprop [--alipay-checkout-error-color=#c62828] - Failed and error icons.
 * @cssprop [--alipay-checkout-radius=8px] - Button corner radius.
 *
 * @example
 * ```html
 * <script type="module" src="/alipay-checkout.bundle.js"></script>
 * <alipay-checkout endpoint="/alipay" order='{"cart":"c_81"}' locale="zh-HK"></alipay-checkout>
 * ```
 */
export class AlipayCheckout extends LitElement {
  static override styles = styles;

  static override properties = {
    endpoint: {},
    order: { converter: { fromAttribute: parseOrder } },
    locale: {},
    variant: {},
    label: {},
    disabled: { type: Boolean, reflect: true },
    messages: { attribute: false },
    pollTimeout: { type: Number, attribute: 'poll-timeout' },
    _state: { state: true },
  };

  /** The server-kit router's base URL, e.g. `/alipay` (its `/checkout`, `/return`, `/orders/:id`). */
  declare endpoint: string;
  /** What the merchant's `resolveOrder` reads: an opaque reference or a cart (never a trusted amount). The attribute is parsed as JSON when it looks like JSON. */
  declare order: unknown;
  /** BCP 47 tag; defaults to the nearest `lang` attribute, then the browser's language. */
  declare locale: string | undefined;
  /** `web`, `wap`, or `auto` (phones and small touch screens get `wap`). */
  declare variant: 'web' | 'wap' | 'auto';
  /** The pay button's label, overriding the locale's. */
  declare label: string | undefined;
  /** Disables the pay button. */
  declare disabled: boolean;
  /** Overrides for any of the locale's messages. */
  declare messages: Partial<Messages> | undefined;
  /** How long the return page polls for a confirmation, in milliseconds. */
  declare pollTimeout: number;
  declare private _state: CheckoutState;

  #ctrl = new AbortController();
  #retry?: (() => void) | undefined;
  #resume?: (() => void) | undefined;
  #refocus = false;

  constructor() {
    super();
    this.endpoint = '';
    this.variant = 'auto';
    this.disabled = false;
    this.pollTimeout = 30_000;
    this._state = 'idle';
  }

  /** The current state (also reflected as the host's `state` attribute, for styling). */
  get state(): CheckoutState {
    return this._state;
  }

  /**
   * Start the checkout, as a click on the pay button does. Does nothing while disabled, busy,
   * pending (a payment may be under way: no second order) or once the payment is confirmed.
   */
  pay(): void {
    if (!this.disabled && /idle|failed|error/.test(this._state)) void this.#checkout();
  }

  /**
   * Verify a gateway return query (without `?`) with the router and poll until the order
   * settles; a bare `out_trade_no=…` whose token this tab holds is read back without the
   * router's `/return`. The element calls it by itself for `location.search`; call it when your
   * router hands you the query some other way. Rejects with a TypeError for any other query.
   */
  handleReturn(query: string): Promise<void> {
    return this.#return(query);
  }

  /**
   * Leave for the cashier: the signed URL with `location.assign`, or, when the router sent no
   * URL, the form built and submitted programmatically (no inline script: strict-CSP safe).
   * Override to navigate differently (tests do).
   */
  protected navigate(checkout: CheckoutResponse): void {
    if (checkout.url) return location.assign(checkout.url);
    const { action, method, fields } = checkout.form;
    const form = document.createElement('form');
    form.action = action;
    form.method = method || 'POST';
    form.acceptCharset = 'utf-8';
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    this.renderRoot.append(form);
    form.submit();
  }

  /** `web` or `wap`: what `auto` resolves to on this device. */
  protected resolveVariant(): 'web' | 'wap' {
    const v = this.variant;
    if (v === 'web' || v === 'wap') return v;
    return matchMedia('(pointer: coarse) and (max-width: 820px)').matches || /Mobi|Android/.test(navigator.userAgent)
      ? 'wap'
      : 'web';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ctrl = new AbortController();
    addEventListener('pageshow', this.#onPageShow);
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#ctrl.abort();
    removeEventListener('pageshow', this.#onPageShow);
  }

  protected override firstUpdated(): void {
    void this.#return(location.search.slice(1), true);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('_state' as keyof AlipayCheckout)) this.setAttribute('state', this._state);
    // The focused button may have gone with the old state: keep keyboard users inside.
    if (this.#refocus && !this.shadowRoot!.activeElement) this.renderRoot.querySelector('button')?.focus();
    this.#refocus = false;
  }

  protected override render() {
    const { lang, messages: m } = resolveMessages(
      this.locale || this.closest('[lang]')?.getAttribute('lang') || navigator.language,
      this.messages,
    );
    const s = this._state;
    const busy = s === 'loading' || s === 'redirecting';
    const text = s === 'idle' || s === 'error' ? '' : m[s];
    // Flat templates (none nested in another's literal): the bundle build collapses their
    // whitespace with a regex. No type="button": nothing in this shadow tree has a form owner.
    const pay =
      busy || s === 'idle' || (s === 'failed' && this.order != null)
        ? html`<button
            part="button"
            class="pay"
            ?disabled=${this.disabled}
            aria-disabled=${busy ? 'true' : nothing}
            @click=${this.pay}
          >
            ${busy ? SPIN : MARK}<span>${this.label || m.label}</span>
          </button>`
        : nothing;
    const status = text ? html`${ICONS[s] ?? nothing}<span>${text}</span>` : nothing;
    const alert = s === 'error' ? html`${ICONS.error}<span>${m.error}</span>` : nothing;
    const retry =
      s === 'error' || s === 'pending'
        ? html`<button part="retry" class="retry" @click=${this.#onRetry}>${s === 'error' ? m.retry : m.check}</button>`
        : nothing;
    // Two live regions, always present (a region inserted together with its text is not
    // reliably announced): polite for progress and results, assertive for errors.
    return html`<div class="root" lang=${lang}>
      ${pay}
      <div part="status" class="status ${s}" role="status" aria-live="polite">${status}</div>
      <div part="status" class="status error" role="alert" aria-live="assertive">${alert}</div>
      ${retry}
    </div>`;
  }

  #onRetry() {
    this.#retry?.();
  }

  // Back from the cashier through the bfcache: the page is live again, not redirecting.
  #onPageShow = (e: PageTransitionEvent) => {
    if (e.persisted && this._state === 'redirecting') this.#set('idle');
  };

  async #checkout() {
    this.#set('loading');
    try {
      const c = await this.#req<CheckoutResponse>('/checkout', {
        order: this.order ?? null,
        variant: this.resolveVariant(),
      });
      // A compromised or misconfigured server must not send the buyer to javascript: URLs.
      if (typeof c.outTradeNo !== 'string' || typeof c.orderToken !== 'string' || !isHttp(c.url || c.form.action)) {
        throw codedError('BAD_RESPONSE');
      }
      // Stored before the event so that a merchant who cancels it and navigates itself still
      // gets the token back on the return page. sessionStorage: this tab only, gone with it.
      session((s) => s.setItem(TOKEN_KEY + c.outTradeNo, c.orderToken));
      if (!this.#emit('redirect', { outTradeNo: c.outTradeNo, url: c.url, form: c.form }, true)) {
        return this.#set('idle');
      }
      this.#set('redirecting');
      await this.updateComplete;
      this.navigate(c);
    } catch (e) {
      this.#fail(
        e,
        () => this.#checkout(),
        () => this.#set('idle'),
      );
    }
  }

  /**
   * Acts on a gateway return, or on the bare `out_trade_no` left after one when this tab holds
   * its token; anything else throws a TypeError (`auto`: the element's own look at the address
   * bar, which just does nothing then).
   */
  async #return(query: string, auto?: boolean) {
    const id = orderRef(query);
    const token = session((s) => s.getItem(TOKEN_KEY + id)) || undefined;
    const signed = isGatewayReturn(query);
    if (!id || !(token || signed)) {
      if (auto) return;
      throw new TypeError('out_trade_no');
    }
    const poll = () => this.#req<OrderResponse>(`/orders/${encodeURIComponent(id)}`, undefined, token);
    this.#set('verifying');
    try {
      // A signed return goes to the router whole; the bare reference left behind (a reload, a
      // duplicated tab) is read back with the stored token.
      let { status } = await (signed
        ? this.#req<ReturnResponse>('/return', { query, orderToken: token ?? null })
        : poll());
      // Verified or not, the signature must not linger in the address bar, the history or a
      // bookmark: only the order reference stays, so that a reload shows the order again.
      if (location.search.slice(1) === query)
        history.replaceState(history.state, '', `?out_trade_no=${encodeURIComponent(id)}${location.hash}`);
      const until = Date.now() + this.pollTimeout;
      // The gateway's asynchronous notification is what settles the order; wait for it with
      // exponential backoff (0.5 s, 1 s, 2 s, …) up to pollTimeout. Without a token the order
      // cannot be read: stop at pending.
      for (let delay = 500; status === 'pending' && token; delay *= 2) {
        const left = until - Date.now();
        if (left <= 0) break;
        await sleep(Math.min(delay, left));
        status = (await poll()).status;
      }
      const state: CheckoutState | undefined =
        status === 'pending'
          ? 'pending'
          : status === 'closed'
            ? 'failed'
            : /^(paid|(partially_)?refunded)$/.test(status)
              ? 'paid'
              : undefined;
      if (!state) throw codedError('BAD_RESPONSE');
      // The token stays for the tab's life (it expires by itself): a reload reads the order again.
      if (state === 'pending') this.#retry = () => this.#return(query);
      this.#set(state);
      this.#emit(state, state === 'pending' ? { outTradeNo: id } : { outTradeNo: id, status });
    } catch (e) {
      const again = () => this.#return(query);
      this.#fail(e, again, () => (this.#resume = again));
    }
  }

  #req<T>(path: string, body?: object, token?: string): Promise<T> {
    if (!this.endpoint) return Promise.reject(codedError('NO_ENDPOINT'));
    return requestJson<T>(this.endpoint.replace(/\/+$/, '') + path, body, token, this.#ctrl.signal);
  }

  /** A request failed: the error state, unless it was aborted because the element left the page. */
  #fail(e: unknown, retry: () => void, aborted: () => void) {
    const code = (e as CodedError).code || 'BAD_RESPONSE';
    if (code === 'ABORTED') return aborted();
    this.#retry = retry;
    this.#set('error');
    this.#emit('error', { code });
  }

  #set(state: CheckoutState) {
    this.#refocus ||= !!this.shadowRoot?.activeElement;
    this._state = state;
  }

  #emit(name: string, detail: object, cancelable = false): boolean {
    return this.dispatchEvent(
      new CustomEvent(`alipay-checkout:${name}`, { detail, bubbles: true, composed: true, cancelable }),
    );
  }
}
