// One merchant server process for the multi-process test (test/ledger.postgres.test.ts): Express
// + alipayRouter + the PostgreSQL ledger on 127.0.0.1:0. Started with child_process.fork (IPC):
// sends { port } when listening, answers 'stats' with its counters, exits on 'stop'.
// Every onPaid call is appended to <schema>.fulfilments (no unique constraint: a duplicate
// fulfilment must show up as a second row, not be hidden by the database).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { alipayRouter, createGatewayClient, createPostgresLedger } from '../../src/index.js';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`pg-server: ${k} is not set`);
  return v;
};
const url = env('PG_URL');
const schema = env('PG_SCHEMA');
const label = env('SERVER_LABEL');

const ledger = createPostgresLedger({ connectionString: url, schema, max: 8 });
await ledger.ready();
const side = new pg.Pool({ connectionString: url, max: 4 });
const stats = { fulfilled: 0, warnings: [] as string[] };

const client = createGatewayClient({
  // Never called: notifyVerify is off and nothing here queries the gateway.
  gateway: 'http://127.0.0.1:9/gateway.do',
  partner: env('PARTNER'),
  signType: 'MD5',
  md5Key: env('MD5_KEY'),
  charset: 'utf-8',
});

const app = express();
app.use(
  '/alipay',
  alipayRouter({
    client,
    ledger,
    tokenSecret: 'pg-server-secret-pg-server-secret-0123',
    notifyUrl: 'http://127.0.0.1/alipay/notify',
    returnUrl: 'http://127.0.0.1/alipay/return',
    resolveOrder: () => {
      throw Object.assign(new Error('no checkout in this test'), { status: 404 });
    },
    notifyVerify: false,
    onPaid: async (order) => {
      // A little latency widens the window in which the other process could also claim the event.
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      await side.query(`INSERT INTO "${schema}".fulfilments (out_trade_no, server, pid) VALUES ($1, $2, $3)`, [
        order.out_trade_no,
        label,
        process.pid,
      ]);
      stats.fulfilled++;
    },
    logger: { warn: (m) => void (stats.warnings.length < 20 && stats.warnings.push(m)) },
  }),
);
const server = createServer(app);
server.keepAliveTimeout = 30_000;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
process.send!({ port: (server.address() as AddressInfo).port });

process.on('message', async (m) => {
  if (m === 'stats') process.send!({ stats });
  if (m === 'stop') {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await ledger.close();
    await side.end();
    process.exit(0);
  }
});
// If the test runner dies, do not linger.
process.on('disconnect', () => process.exit(0));
