/**
 * Configuration from the environment, and "real credentials switch the demo to a real gateway
 * with no code change": here the "real" gateway is a separate sandbox process-alike the demo does
 * not embed, reached only through ALIPAY_GATEWAY with MD5 credentials.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '@alipay-kit/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.js';
import { startDemo } from '../src/start.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'demo-cfg-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('configFromEnv', () => {
  it('should embed the sandbox on PORT+1 and generate and keep the admin password and token secret', () => {
    const dir = tmp();
    const a = configFromEnv({ PORT: '4100', DEMO_DATA_DIR: dir });
    expect(a.port).toBe(4100);
    expect(a.sandbox).toEqual({ port: 4101, timeScale: 60, signType: 'RSA2' });
    expect(a.gateway).toBeUndefined();
    expect(a.adminPasswordGenerated).toBe(true);
    expect(a.tokenSecret.length).toBeGreaterThanOrEqual(32);
    const b = configFromEnv({ DEMO_DATA_DIR: dir });
    expect(b.port).toBe(3000);
    expect(b.adminPassword).toBe(a.adminPassword);
    expect(b.tokenSecret).toBe(a.tokenSecret);
    expect(configFromEnv({ DEMO_DATA_DIR: dir, SANDBOX_PORT: '5000', ALIPAY_SIGN_TYPE: 'md5' }).sandbox).toMatchObject({
      port: 5000,
      signType: 'MD5',
    });
  });

  it('should run the order sweeper every 60 s unless SWEEP_INTERVAL_SECONDS says otherwise', () => {
    const dir = tmp();
    expect(configFromEnv({ DEMO_DATA_DIR: dir }).sweepIntervalSeconds).toBe(60);
    expect(configFromEnv({ DEMO_DATA_DIR: dir, SWEEP_INTERVAL_SECONDS: '300' }).sweepIntervalSeconds).toBe(300);
    expect(configFromEnv({ DEMO_DATA_DIR: dir, SWEEP_INTERVAL_SECONDS: '0' }).sweepIntervalSeconds).toBe(0);
    for (const bad of ['-1', '0.5', 'often'])
      expect(() => configFromEnv({ DEMO_DATA_DIR: dir, SWEEP_INTERVAL_SECONDS: bad })).toThrow(
        /SWEEP_INTERVAL_SECONDS must be 0 \(off\) or a number of seconds ≥ 1/,
      );
  });

  it('should switch to the real gateway with ALIPAY_PARTNER and refuse incomplete credentials', () => {
    const dir = tmp();
    const live = {
      DEMO_DATA_DIR: dir,
      ALIPAY_PARTNER: '2088101122136241',
      ALIPAY_MD5_KEY: 'k'.repeat(32),
      ADMIN_PASSWORD: 'pw',
      TOKEN_SECRET: 's'.repeat(32),
    };
    const c = configFromEnv(live);
    expect(c.sandbox).toBeUndefined();
    expect(c.gateway).toMatchObject({
      gateway: 'https://intlmapi.alipay.com/gateway.do',
      partner: '2088101122136241',
      signType: 'MD5',
      charset: 'UTF-8',
    });
    expect(() => configFromEnv({ ...live, ADMIN_PASSWORD: '' })).toThrow(/ADMIN_PASSWORD is required/);
    expect(() => configFromEnv({ ...live, TOKEN_SECRET: '' })).toThrow(/TOKEN_SECRET is required/);
    expect(() => configFromEnv({ ...live, ALIPAY_MD5_KEY: '', ALIPAY_SIGN_TYPE: 'MD5' })).toThrow(
      /needs ALIPAY_MD5_KEY/,
    );
    expect(() => configFromEnv({ ...live, ALIPAY_MD5_KEY: '' })).toThrow(
      /ALIPAY_PRIVATE_KEY_FILE and ALIPAY_PUBLIC_KEY_FILE/,
    );
    expect(() => configFromEnv({ ...live, ALIPAY_SIGN_TYPE: 'SHA1' })).toThrow(/MD5, RSA or RSA2/);
    expect(() => configFromEnv({ ...live, ALIPAY_CHARSET: 'latin1' })).toThrow(/UTF-8 or GBK/);
    expect(() =>
      configFromEnv({ ...live, ALIPAY_PRIVATE_KEY_FILE: join(dir, 'missing.pem'), ALIPAY_SIGN_TYPE: 'RSA2' }),
    ).toThrow(/cannot read/);
    expect(() => configFromEnv({ ...live, PORT: 'eighty' })).toThrow(/PORT must be a port number/);
  });
});

const pg = process.env.ALIPAY_TEST_PG_URL;
const ledgers: [string, string | undefined][] = [
  ['the SQLite ledger', undefined],
  ['a sqlite: ALIPAY_LEDGER_URL', `sqlite:${join(tmp(), 'shared-ledger.sqlite')}`],
  ...(pg
    ? [
        [
          'the PostgreSQL ledger',
          `${pg}${pg.includes('?') ? '&' : '?'}schema=demo_e2e_${randomBytes(3).toString('hex')}`,
        ] as [string, string],
      ]
    : []),
];

describe('live mode against an external gateway', () => {
  it.each(ledgers)(
    'should take a payment through ALIPAY_GATEWAY with the configured credentials and %s',
    async (_name, ledgerUrl) => {
      const partner = '2088101122136241';
      const md5Key = randomBytes(16).toString('hex');
      const gatewayServer = createServer();
      await new Promise<void>((r) => gatewayServer.listen(0, '127.0.0.1', r));
      const gatewayUrl = `http://127.0.0.1:${(gatewayServer.address() as AddressInfo).port}`;
      const gateway = createSandbox({
        merchants: [{ partner, md5Key, currencies: ['USD', 'HKD', 'JPY', 'EUR', 'GBP'] }],
        publicBaseUrl: gatewayUrl,
      });
      gatewayServer.on('request', gateway.app);

      const config = configFromEnv({
        PORT: '0',
        DEMO_DATA_DIR: tmp(),
        ALIPAY_PARTNER: partner,
        ALIPAY_MD5_KEY: md5Key,
        ALIPAY_GATEWAY: `${gatewayUrl}/gateway.do`,
        ADMIN_PASSWORD: 'admin',
        TOKEN_SECRET: randomBytes(32).toString('hex'),
        ...(ledgerUrl ? { ALIPAY_LEDGER_URL: ledgerUrl } : {}),
      });
      const logs: string[] = [];
      const shop = await startDemo({ ...config, log: (l) => logs.push(l) });
      try {
        expect(shop.sandboxUrl).toBeUndefined();
        expect(shop.demo.gateway).toMatchObject({ mode: 'live', partner, signType: 'MD5' });
        const info = (await (await fetch(`${shop.url}/api/info`)).json()) as { mode: string };
        expect(info.mode).toBe('live');
        const res = await fetch(`${shop.url}/api/alipay/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order: { currency: 'HKD', items: [{ id: 'oolong-tin', qty: 3 }] } }),
        });
        const checkout = (await res.json()) as { outTradeNo: string; url: string };
        expect(new URL(checkout.url).searchParams.get('total_fee')).toBe('564.00');
        const paid = await gateway.control.simulatePayment(checkout.url, { action: 'pay' });
        expect(paid.errorCode).toBeUndefined();
        await gateway.control.flushNotifications();
        const order = await shop.demo.backend.order(checkout.outTradeNo);
        expect(order?.status).toBe('paid');
        expect(order?.notifications.map((n) => n.outcome)).toEqual(['applied']);
        // The ledger lives where ALIPAY_LEDGER_URL says (createLedgerFromUrl), else in the data dir.
        expect(existsSync(join(config.dataDir, 'ledger.sqlite'))).toBe(ledgerUrl === undefined);
        if (ledgerUrl?.startsWith('sqlite:')) expect(existsSync(ledgerUrl.slice('sqlite:'.length))).toBe(true);
        // Keys never reach the log.
        expect(logs.join('\n')).not.toContain(md5Key);
      } finally {
        await shop.close();
        await gateway.close();
        await new Promise((r) => gatewayServer.close(r));
      }
    },
  );
});
