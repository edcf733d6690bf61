// The gateway for P2.notify_verify, run in its own process: a sandbox that pays P2_ORDERS trades
// through its own cashier simulation and captures the notification bodies it sends (its `fetch`
// is replaced by a recorder that acknowledges with `success`). Every body carries a notify_id the
// sandbox issued, so `notify_verify` answers `true` for it (TTL raised to an hour: protocol §7
// says about a minute, far shorter than a bench run).
// Sends { type: 'ready', port, bodies }.
import { createServer } from 'node:http';
import { createSandbox } from '@alipay-kit/sandbox';
import { createGatewayClient } from '@alipay-kit/server-kit';
import { KEY_A, ORDER_AMOUNT, PARTNER_A, orderId } from './constants.mjs';

const orders = Number(process.env.P2_ORDERS ?? 2000);
const prefix = process.env.P2_PREFIX ?? 'P2-';
const bodies = [];
const sandbox = createSandbox({
  merchants: [{ partner: PARTNER_A, md5Key: KEY_A }],
  notifyVerifyTtlMs: 3_600_000,
  fetch: async (_url, init) => {
    bodies.push(String(init.body));
    return new Response('success', { status: 200 });
  },
});
const server = createServer(sandbox.app);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const gateway = `http://127.0.0.1:${server.address().port}/gateway.do`;
const client = createGatewayClient({ gateway, partner: PARTNER_A, signType: 'MD5', md5Key: KEY_A });
for (let i = 0; i < orders; i++) {
  const url = client.paymentUrl({
    out_trade_no: orderId(prefix, i),
    subject: 'Bench tea',
    currency: 'USD',
    total_fee: ORDER_AMOUNT,
    notify_url: 'http://127.0.0.1/alipay/notify',
    return_url: 'http://127.0.0.1/alipay/return',
  });
  const r = await sandbox.control.simulatePayment(url);
  if (r.errorCode) throw new Error(`p2-sandbox: payment ${i} failed with ${r.errorCode}`);
}
await sandbox.control.flushNotifications();
if (bodies.length !== orders)
  throw new Error(`p2-sandbox: captured ${bodies.length} notifications for ${orders} trades`);
process.send({ type: 'ready', port: server.address().port, gateway, bodies });
const stop = () => {
  server.closeAllConnections();
  server.close(() => sandbox.close().finally(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
