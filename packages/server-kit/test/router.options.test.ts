import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { alipayRouter, createGatewayClient, createSqliteLedger } from '../src/index.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';

const client = createGatewayClient({ gateway: 'sandbox', partner: PARTNER_A, signType: 'MD5', md5Key: KEY_A });
const ledger = createSqliteLedger({ file: ':memory:' });
const good = {
  client,
  ledger,
  resolveOrder: () => ({ amount: '1.00', currency: 'USD', subject: 's' }),
  tokenSecret: 'x'.repeat(32),
  notifyUrl: 'https://shop.example/alipay/notify',
  returnUrl: 'https://shop.example/alipay/return',
  returnPage: '/thanks',
};

describe('alipayRouter options (validated at startup)', () => {
  it('should build with valid options', () => expect(typeof alipayRouter(good)).toBe('function'));
  const bad: Array<[string, Record<string, unknown>]> = [
    ['client', { client: {} }],
    ['ledger', { ledger: null }],
    ['resolveOrder', { resolveOrder: 'x' }],
    ['tokenSecret', { tokenSecret: 'short' }],
    ['notifyUrl', { notifyUrl: 'https://shop.example/n?x=1' }],
    ['notifyUrl', { notifyUrl: '/relative' }],
    ['returnUrl', { returnUrl: 'javascript:alert(1)' }],
    ['returnPage', { returnPage: 'https://evil.example/' }],
    ['returnPage', { returnPage: '//evil.example' }],
    ['returnPage', { returnPage: '/\\evil.example' }],
    ['authorize', { authorize: true }],
    ['onPaid', { onPaid: 1 }],
    ['notifyVerify', { notifyVerify: 'yes' }],
    ['activeQueryAfterSeconds', { activeQueryAfterSeconds: -1 }],
    ['outTradeNoPrefix', { outTradeNoPrefix: 'has space' }],
  ];
  for (const [name, patch] of bad) {
    it(`should throw a TypeError naming ${name} for ${JSON.stringify(Object.values(patch)[0])}`, () => {
      expect(() => alipayRouter({ ...good, ...patch } as never)).toThrow(new RegExp(`option ${name}`));
    });
  }
});

describe('package exports', () => {
  it('should export the public API from the root', () => {
    for (const name of [
      'createSigner',
      'createVerifier',
      'createGatewayClient',
      'GATEWAYS',
      'createSqliteLedger',
      'createPostgresLedger',
      'createLedgerFromUrl',
      'alipayRouter',
      'syncOrderWithGateway',
      'reconcile',
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });
  it('should import other packages only by package name, never by relative path', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
    const src = join(__dirname, '../src');
    for (const f of walk(src))
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/from '\.\.\/\.\.\/\.\.\/|packages\/core\/src/);
  });
});
