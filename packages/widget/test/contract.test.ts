// The router ↔ widget contract as the widget sees it (issue #16 points 4 and 5): the types come
// from @alipay-kit/core/contract (type-checked by scripts/build.mjs over this folder), and the
// `error` event carries the router's code verbatim, typed `AlipayErrorCode | WidgetErrorCode`.
import { expect, oneEvent } from '@open-wc/testing';
import type { AlipayCheckoutErrorDetail, AlipayCheckoutErrorEvent } from '../src/events/error.js';
import type {
  AlipayErrorCode,
  CheckoutResponse,
  ErrorResponse,
  OrderResponse,
  PublicOrder,
  ReturnResponse,
  WidgetErrorCode,
} from '../src/types.js';
import { checkout } from './helpers.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeIs = <T extends true>(_: T): void => {};

/** Answer every request of the element with `status` and `body`, for the duration of `run`. */
async function withRouterAnswer(status: number, body: unknown, run: () => Promise<void>): Promise<void> {
  const real = window.fetch;
  window.fetch = async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  try {
    await run();
  } finally {
    window.fetch = real;
  }
}

describe('the router contract in the widget', () => {
  it('should type the error event code with the router codes and its own', () => {
    typeIs<Equal<AlipayCheckoutErrorDetail['code'], AlipayErrorCode | WidgetErrorCode>>(true);
    const ok: AlipayCheckoutErrorDetail[] = [
      { code: 'ERR_UNAUTHORIZED' },
      { code: 'ERR_INTERNAL' },
      { code: 'HTTP_502' },
      { code: 'NO_ENDPOINT' },
    ];
    // @ts-expect-error not a code of the contract
    const wrong: AlipayCheckoutErrorDetail = { code: 'TOKEN_INVALID' };
    expect(ok.length + [wrong].length).to.equal(5);
  });

  it("should read the server's order shape: PublicOrder with rmb", () => {
    typeIs<Equal<OrderResponse, PublicOrder>>(true);
    typeIs<Equal<CheckoutResponse['expiresAt'], string>>(true);
    typeIs<Equal<ReturnResponse['status'], PublicOrder['status']>>(true);
    const order: OrderResponse = {
      outTradeNo: 'A1',
      status: 'paid',
      amount: '1.01',
      currency: 'JPY',
      subject: 'CNY-priced',
      rmb: true,
    };
    // @ts-expect-error rmb is part of the order the router sends
    const drifted: OrderResponse = {
      outTradeNo: 'A1',
      status: 'paid',
      amount: '10.00',
      currency: 'USD',
      subject: 'Tea',
    };
    expect([order, drifted]).to.have.length(2);
  });

  it("should fire error with the router's code verbatim", async () => {
    const { el } = await checkout('paid');
    const answer: ErrorResponse = { error: { code: 'ERR_INVALID_PARAMS', message: 'the order could not be resolved' } };
    await withRouterAnswer(404, answer, async () => {
      const event = oneEvent(el, 'alipay-checkout:error');
      el.pay();
      const e = (await event) as AlipayCheckoutErrorEvent;
      expect(e.detail).to.deep.equal({ code: 'ERR_INVALID_PARAMS' });
    });
  });
});
