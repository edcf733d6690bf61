// The server under test for P2, run in its own process (bench/lib/child.mjs).
//   P2_MODE=router: server-kit's alipayRouter on Express, a SQLite ledger file in a temp dir,
//                   P2_ORDERS orders pre-created, notify_verify per P2_NOTIFY_VERIFY against
//                   P2_GATEWAY (the sandbox process).
//   P2_MODE=bare:   the baseline: one Express route that parses the urlencoded body and
//                   answers `success`.
// Sends { type: 'ready', port } and answers { type: 'stats' } with its counters.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { alipayRouter, createGatewayClient, createSqliteLedger } from '@alipay-kit/server-kit';
import { KEY_A, ORDER_MINOR, PARTNER_A, TOKEN_SECRET, orderId } from './constants.mjs';

const mode = process.env.P2_MODE ?? 'router';
const stats = { requests: 0, fails: 0, paid: 0, failCodes: {} };
const app = express();
let cleanup = async () => {};
let ledgerRef;

if (mode === 'bare') {
  app.post('/alipay/notify', express.urlencoded({ extended: false, limit: '64kb' }), function bareNotify(req, res) {
    stats.requests++;
    if (typeof req.body?.out_trade_no !== 'string') stats.fails++;
    res.type('text/plain').send('success');
  });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'ak-bench-p2-'));
  // Diagnostic only: P2_LEDGER_MODULE points at a patched copy of the SQLite ledger to measure
  // what a proposed server-kit fix would gain. Unset in every reported run.
  const makeLedger = process.env.P2_LEDGER_MODULE ? (await import(process.env.P2_LEDGER_MODULE)).createSqliteLedger : createSqliteLedger;
  const ledger = makeLedger({ file: join(dir, 'ledger.db') });
  ledgerRef = ledger;
  const orders = Number(process.env.P2_ORDERS ?? 2000);
  const prefix = process.env.P2_PREFIX ?? 'P2-';
  for (let i = 0; i < orders; i++) {
    await ledger.createOrder({ out_trade_no: orderId(prefix, i), subject: 'Bench tea', currency: 'USD', total_fee_minor: ORDER_MINOR });
  }
  const client = createGatewayClient({
    gateway: process.env.P2_GATEWAY || 'http://127.0.0.1:9/gateway.do',
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
    retry: { limit: 0 },
    timeoutMs: 10_000,
  });
  app.use((req, _res, next) => {
    stats.requests++;
    next();
  });
  app.use(
    '/alipay',
    alipayRouter({
      client,
      ledger,
      tokenSecret: TOKEN_SECRET,
      notifyUrl: 'http://127.0.0.1/alipay/notify',
      returnUrl: 'http://127.0.0.1/alipay/return',
      resolveOrder: () => ({ amount: '10.00', currency: 'USD', subject: 'Bench tea' }),
      notifyVerify: process.env.P2_NOTIFY_VERIFY === '1',
      onPaid: () => void stats.paid++,
      logger: {
        warn(message, fields) {
          if (message.startsWith('alipay notify answered fail')) {
            stats.fails++;
            const code = String(fields?.code ?? '?');
            stats.failCodes[code] = (stats.failCodes[code] ?? 0) + 1;
          }
        },
      },
    }),
  );
  cleanup = async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  };
}

let cpuAtReset = process.cpuUsage();
// Notification rows committed since the last reset: every `success` must be a stored row.
let storedAtReset = 0;
const storedNow = async () => (mode === 'bare' ? 0 : (await ledgerRef.listNotifications()).length);
const server = createServer(app);
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
process.on('message', async (m) => {
  if (m?.type === 'stats') {
    const cpu = process.cpuUsage(cpuAtReset);
    await new Promise((r) => setTimeout(r, 50)); // let work already received commit
    process.send({ type: 'stats', ...stats, cpuUs: cpu.user + cpu.system, stored: (await storedNow()) - storedAtReset });
  }
  if (m?.type === 'reset') {
    Object.assign(stats, { requests: 0, fails: 0, paid: 0, failCodes: {} });
    storedAtReset = await storedNow();
    cpuAtReset = process.cpuUsage();
    process.send({ type: 'reset' });
  }
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => cleanup().finally(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
