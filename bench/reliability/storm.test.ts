// Duplicate storm (issue 8): real sandbox-issued notifications, each trade's notifications copied
// 10×, shuffled and posted 32 at a time to POST /notify with notify_verify on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORM_NOTIFICATIONS } from './helpers/env.js';
import { pool, rng, shuffle, startWorld, type World } from './helpers/world.js';

const TRADES = Math.max(1, Math.round(STORM_NOTIFICATIONS / 10));
const SEED = 0x5eed;

describe(`POST /notify under a storm of ${STORM_NOTIFICATIONS} notifications over ${TRADES} trades`, () => {
  let w: World;
  const trades: string[] = [];
  beforeAll(async () => {
    // Capture instead of delivering: the first send of each trade is answered `fail`, so the
    // sandbox retries 2 minutes later with a second, distinct notify_id (§4). notify_verify TTL is
    // raised so both stay verifiable for the whole storm.
    w = await startWorld({
      delivery: { mode: 'capture', answer: (_b, n) => (n === 1 ? 'fail' : 'success') },
      sandbox: { notifyVerifyTtlMs: 3_600_000 },
    });
    for (let i = 0; i < TRADES; i++) trades.push((await w.pay()).outTradeNo);
    await w.sandbox.control.flushNotifications();
    await w.sandbox.control.advanceClock(2 * 60_000 + 1000);
    await w.sandbox.control.flushNotifications();
  });
  afterAll(() => w?.close());

  it('should have captured two distinct sandbox-signed notifications per trade', () => {
    expect(w.captured).toHaveLength(TRADES * 2);
    const ids = new Set(w.captured.map((c) => new URLSearchParams(c.body).get('notify_id')));
    expect(ids.size).toBe(TRADES * 2);
  });

  it('should answer success to every copy, fire onPaid exactly once per trade and record every notification', async () => {
    const rand = rng(SEED);
    const byTrade = new Map<string, string[]>();
    for (const c of w.captured) byTrade.set(c.out_trade_no, [...(byTrade.get(c.out_trade_no) ?? []), c.body]);
    const storm: Array<{ id: string; body: string }> = [];
    for (const id of trades)
      for (let k = 0; k < 10; k++) storm.push({ id, body: byTrade.get(id)![Math.floor(rand() * 2)]! });
    shuffle(storm, rand);
    expect(storm).toHaveLength(TRADES * 10);

    const answers = await pool(storm, 32, (s) => w.postNotify(s.body));
    expect(answers.filter((a) => a !== 'success')).toEqual([]);

    const wrongFulfilment = trades.filter((id) => w.paid.get(id) !== 1);
    expect(wrongFulfilment, 'trades whose onPaid did not run exactly once').toEqual([]);
    const orders = await w.ledger.listOrders();
    expect(orders.filter((o) => trades.includes(o.out_trade_no) && o.status !== 'paid')).toEqual([]);
    const notes = await w.ledger.listNotifications();
    expect(notes).toHaveLength(storm.length);
    for (const id of trades) {
      const mine = notes.filter((n) => n.out_trade_no === id).map((n) => n.outcome);
      expect(mine, id).toHaveLength(10);
      expect(
        mine.filter((o) => o === 'applied'),
        id,
      ).toHaveLength(1);
      expect(
        mine.filter((o) => o !== 'applied' && o !== 'duplicate'),
        id,
      ).toEqual([]);
    }
    // Exactly one paid transition per trade in the history, none lost.
    for (const id of trades.slice(0, 20))
      expect((await w.ledger.history(id)).map((h) => h.to)).toEqual(['created', 'paid']);
  });

  it('should keep the MD5 key and every sign value out of every log line and error message', () => {
    expect(w.watch.secrets.size).toBeGreaterThan(TRADES);
    expect(w.watch.leaks()).toEqual([]);
  });
});
