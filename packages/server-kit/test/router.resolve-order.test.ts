// resolveOrder mistakes fail loudly (issue 15): a price given twice that disagrees, a numeric
// amount, and a hook that throws.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedOrder } from '../src/index.js';
import { post, startWorld, type World } from './helpers/world.js';

describe('resolveOrder answers the router refuses', () => {
  let w: World;
  afterEach(() => w?.close());

  const withOrder = async (order: () => ResolvedOrder) => {
    w = await startWorld({ router: { resolveOrder: order } });
    return post(w, '/checkout', { order: {} });
  };

  it('should refuse amount and amountMinor that disagree instead of charging either (1.00 vs 5.00)', async () => {
    const r = await withOrder(() => ({ amount: '1.00', amountMinor: 500, currency: 'USD', subject: 'Tea' }));
    expect(r.status, r.text).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'ERR_INVALID_PARAMS' });
    expect(r.json.error.message).toContain('(1.00 USD) and amountMinor (5.00 USD) disagree');
    expect(await w.ledger.listOrders()).toHaveLength(0);
  });

  it('should accept amount and amountMinor that agree', async () => {
    const r = await withOrder(() => ({ amount: '5.00', amountMinor: 500, currency: 'USD', subject: 'Tea' }));
    expect(r.status, r.text).toBe(200);
    expect(r.json.form.fields.total_fee).toBe('5.00');
  });

  it('should say a numeric amount must be a decimal string, not that it is missing', async () => {
    const r = await withOrder(() => ({ amount: 12.5 as unknown as string, currency: 'USD', subject: 'Tea' }));
    expect(r.status, r.text).toBe(400);
    expect(r.json.error.message).toContain('must be a decimal string like "12.50", not a number');
  });

  it('should answer 500 and log the message when resolveOrder throws without a 4xx status', async () => {
    const r = await withOrder(() => {
      throw new Error('cart service unreachable');
    });
    expect(r.status, r.text).toBe(500);
    expect(r.json.error.code).toBe('ERR_INTERNAL');
    expect(r.text).not.toContain('cart service');
    expect(w.logs.some((l) => l.includes('resolveOrder threw') && l.includes('cart service unreachable'))).toBe(true);
  });
});
