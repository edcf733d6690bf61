import { fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/alipay-checkout/alipay-checkout.js';
import type { AlipayCheckout } from '../src/components/alipay-checkout/alipay-checkout.component.js';
import type { CheckoutResponse } from '../src/types.js';

export const API = '/widget-api';

/** A checkout element whose navigation is recorded instead of performed. */
export async function checkout(order: unknown = 'paid', attrs: Partial<AlipayCheckout> = {}) {
  const navigations: CheckoutResponse[] = [];
  const el = await fixture<AlipayCheckout>(html`<alipay-checkout endpoint=${API} .order=${order}></alipay-checkout>`);
  Object.assign(el, attrs);
  (el as unknown as { navigate: (c: CheckoutResponse) => void }).navigate = (c) => navigations.push(c);
  await el.updateComplete;
  return { el, navigations };
}

export const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
export const has = (el: Element, name: string) => part(el, name) !== null;
/** The `part` of the focused element inside the shadow root (never the element: chai would print it). */
export const focused = (el: Element) => el.shadowRoot!.activeElement?.getAttribute('part') ?? undefined;
export const parts = (el: Element, name: string) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];
/** The text a screen reader would hear from the polite and assertive live regions. */
export const live = (el: Element) => ({
  polite: el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim(),
  assertive: el.shadowRoot!.querySelector('[role="alert"]')!.textContent!.trim(),
});

export async function untilState(el: AlipayCheckout, state: string, timeout = 8000) {
  await waitUntil(() => el.state === state, `state never became ${state} (is ${el.state})`, { timeout });
  await el.updateComplete;
}

let n = 0;
/** A fresh order number whose scenario the test API reads from its suffix. */
export const tradeNo = (scenario: string) => `U${Date.now().toString(36)}${++n}-${scenario}`;
export const returnQuery = (id: string, extra = '') =>
  `out_trade_no=${id}&trade_no=2025000000000001&trade_status=TRADE_FINISHED&currency=USD&total_fee=10.00&sign=good&sign_type=MD5${extra}`;

export async function requestLog(id: string): Promise<Record<string, unknown>[]> {
  return (await fetch(`${API}/_log/${encodeURIComponent(id)}`)).json();
}

/** What test/pages/recorder.ts keeps on the window of a middleware test page. */
export type RecordedWindow = Window & {
  violations: string[];
  events: { type: string; detail: Record<string, unknown> }[];
  states: string[];
};

/** Load a middleware test page (strict CSP) in an iframe. */
export async function frame(src: string): Promise<HTMLIFrameElement> {
  const f = document.createElement('iframe');
  f.title = 'test page';
  f.width = '600';
  f.height = '400';
  const loaded = nextLoad(f);
  f.src = src;
  document.body.append(f);
  await loaded;
  return f;
}
export const nextLoad = (f: HTMLIFrameElement) =>
  new Promise<void>((r) => f.addEventListener('load', () => r(), { once: true }));
export const win = (f: HTMLIFrameElement) => f.contentWindow as RecordedWindow;

/** The page's <alipay-checkout>, once upgraded and rendered. */
export async function frameElement(f: HTMLIFrameElement): Promise<AlipayCheckout> {
  await waitUntil(
    () => f.contentDocument?.querySelector('alipay-checkout')?.shadowRoot?.querySelector('.root'),
    'element never rendered',
    {
      timeout: 8000,
    },
  );
  const el = f.contentDocument!.querySelector('alipay-checkout') as AlipayCheckout;
  await el.updateComplete;
  return el;
}
