// refundThroughLedger: the one refund path behind POST /refunds, router.refund() and merchant code
// (issue 15: client.refund bypasses the ledger). Against the sandbox over HTTP, real SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayLedgerError, AlipayValidationError, refundThroughLedger } from '../src/index.js';
import { post, startWorld, type World } from './helpers/world.js';

async function paidOrder(w: World, sku = 'tea'): Promise<string> {
  const r = await post(w, '/checkout', { order: { sku } });
  expect(r.status, r.text).toBe(200);
  const c = r.json as { outTradeNo: string; url: string };
  expect((await w.sandbox.control.simulatePayment(c.url)).errorCode).toBeUndefined();
  await w.sandbox.control.flushNotifications();
  return c.outTradeNo;
}

describe('refundThroughLedger', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld()));
  afterAll(() => w.close());
  const base = () => ({
    client: w.client,
    ledger: w.ledger,
    notifyUrl: `${w.merchantUrl}/alipay/notify`,
    logger: { warn: () => {} },
  });

  it('should record the refund before sending it, and let its notification settle it (onRefunded once)', async () => {
    const id = await paidOrder(w);
    const r = await refundThroughLedger({
      ...base(),
      outTradeNo: id,
      amount: '2.50',
      reason: 'dented tin',
      outReturnNo: `${id}-A`,
    });
    expect(r).toMatchObject({
      amount: '2.50',
      currency: 'USD',
      sent: true,
      refund: { out_return_no: `${id}-A`, status: 'accepted', amount_minor: 250, reason: 'dented tin' },
    });
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getRefund(`${id}-A`))!.status).toBe('succeeded');
    expect((await w.ledger.getOrder(id))!.status).toBe('partially_refunded');
    expect(w.refunded.filter(([o]) => o.out_trade_no === id)).toHaveLength(1);
    // the same outReturnNo again is answered from the ledger, not sent twice
    expect(await refundThroughLedger({ ...base(), outTradeNo: id, outReturnNo: `${id}-A` })).toMatchObject({
      sent: false,
      refund: { status: 'succeeded' },
    });
    // router.refund is the same function with the router's own client and ledger: the rest
    expect(await w.router.refund({ outTradeNo: id })).toMatchObject({
      amount: '7.50',
      sent: true,
      refund: { status: 'accepted' },
    });
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getOrder(id))!.status).toBe('refunded');
  });

  it('should refuse, typed and before anything is sent, what cannot be refunded', async () => {
    const id = await paidOrder(w);
    const sentBefore = (await w.ledger.listRefunds(id)).length;
    await expect(refundThroughLedger({ ...base(), outTradeNo: id, amount: '10.01' })).rejects.toMatchObject({
      code: 'ERR_INVALID_AMOUNT',
    });
    await expect(refundThroughLedger({ ...base(), outTradeNo: id, amount: '1.234' })).rejects.toBeInstanceOf(
      AlipayValidationError,
    );
    await expect(refundThroughLedger({ ...base(), outTradeNo: 'NOPE' })).rejects.toBeInstanceOf(AlipayLedgerError);
    await expect(refundThroughLedger({ ...base(), outTradeNo: 'a/b' })).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMS',
      field: 'outTradeNo',
    });
    await expect(refundThroughLedger({ ...base(), outTradeNo: id, outReturnNo: 'x y' })).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMS',
      field: 'outReturnNo',
    });
    await expect(refundThroughLedger({ ...base(), outTradeNo: id, reason: 'r'.repeat(101) })).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMS',
      field: 'reason',
    });
    expect((await w.ledger.listRefunds(id)).length).toBe(sentBefore);
    const pending = (await post(w, '/checkout', { order: { sku: 'tea' } })).json as { outTradeNo: string };
    await expect(
      refundThroughLedger({ ...base(), outTradeNo: pending.outTradeNo, amount: '1.00' }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_TRANSITION' });
  });
});
