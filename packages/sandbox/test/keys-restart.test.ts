/**
 * The sandbox's ("Alipay's") keys survive a restart on the same data file (issue 13 "Keys and
 * transport"): merchants store Alipay's public key once (§2.3), and notification retries are
 * re-signed at every attempt (§4), so a retry after a restart must verify with the old key.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';
import {
  encode,
  PARTNER_A,
  presign,
  rsaPair,
  sandboxKeys,
  signRsa,
  startMerchant,
  startSandbox,
  verifyRsa,
  type Running,
} from './helpers.js';

const dirs: string[] = [];
function tempData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-keys-'));
  dirs.push(dir);
  return join(dir, 'state.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const merchantKey = rsaPair();
const rsaMerchant = { partner: PARTNER_A, rsaPublicKey: merchantKey.publicKey, name: 'RSA shop' };

function rsaPaymentUrl(gateway: string, extra: Record<string, string>): string {
  const p = signRsa(
    {
      _input_charset: 'UTF-8',
      service: 'create_forex_trade',
      partner: PARTNER_A,
      out_trade_no: 'K-1',
      subject: 'Keys',
      currency: 'USD',
      total_fee: '1.00',
      ...extra,
    },
    merchantKey.privateKey,
    'RSA2',
  );
  return `${gateway}?${encode(p)}`;
}

describe('the sandbox RSA key and a data file', () => {
  let s: Running | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('should serve the same public key after a restart on the same --data file, and a new one without it', async () => {
    const dataFile = tempData();
    s = await startSandbox({ dataFile, keyPair: undefined, merchants: [rsaMerchant] });
    const first = await (await fetch(`${s.base}/.well-known/alipay-public-key`)).text();
    expect(first).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await s.close();
    s = await startSandbox({ dataFile, keyPair: undefined, merchants: [rsaMerchant] });
    expect(await (await fetch(`${s.base}/.well-known/alipay-public-key`)).text()).toBe(first);
    const memory = createSandbox({ merchants: [rsaMerchant] });
    expect(memory.control.publicKey).not.toBe(first);
    await memory.close();
  });

  it('should sign a notification retry after a restart with the key the merchant already has', async () => {
    const dataFile = tempData();
    let answer = 'fail';
    const m = await startMerchant(() => ({ body: answer }));
    try {
      s = await startSandbox({ dataFile, keyPair: undefined, merchants: [rsaMerchant] });
      const alipayPublicKey = s.sandbox.control.publicKey; // what the merchant stored
      await s.sandbox.control.simulatePayment(rsaPaymentUrl(s.gateway, { notify_url: `${m.url}/notify` }));
      await s.sandbox.control.flushNotifications();
      expect(m.notifications()).toHaveLength(1);
      await s.close();

      answer = 'success';
      s = await startSandbox({ dataFile, keyPair: undefined, merchants: [rsaMerchant] });
      await s.sandbox.control.advanceClock(2 * 60_000); // §4: the second send is due 2 minutes later
      const [firstSend, retry] = m.notifications();
      expect(retry).toBeDefined();
      expect(retry!.notify_id).not.toBe(firstSend!.notify_id);
      expect(verifyRsa(retry!, alipayPublicKey, 'RSA2')).toBe(true);
      expect(s.sandbox.control.notifications()[0]!.state).toBe('acknowledged');
    } finally {
      await m.close();
    }
  });

  it('should use a pinned keyPair, store it, and keep it on a restart without the pin', async () => {
    const dataFile = tempData();
    s = await startSandbox({ dataFile, keyPair: sandboxKeys(), merchants: [rsaMerchant] });
    await s.close();
    s = await startSandbox({ dataFile, keyPair: undefined, merchants: [rsaMerchant] });
    expect(s.sandbox.control.publicKey.replace(/\s+/g, '')).toBe(sandboxKeys().publicKey.replace(/\s+/g, ''));
  });

  it('should throw TypeError at start-up when keyPair halves do not match', () => {
    expect(() =>
      createSandbox({
        merchants: [rsaMerchant],
        keyPair: { privateKey: sandboxKeys().privateKey, publicKey: merchantKey.publicKey },
      }),
    ).toThrow(/not the public half/);
  });

  it('should keep the DSA key (legacy §2.3) across a restart and sign DSA returns with it', async () => {
    const dataFile = tempData();
    const dsa = generateKeyPairSync('dsa', {
      modulusLength: 1024,
      divisorLength: 160,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const dsaMerchant = { partner: '2088000000000003', dsaPublicKey: dsa.publicKey };
    s = await startSandbox({ dataFile, merchants: [dsaMerchant] });
    const first = await (await fetch(`${s.base}/.well-known/alipay-dsa-public-key`)).text();
    expect(first).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await s.close();
    s = await startSandbox({ dataFile, merchants: [dsaMerchant] });
    expect(await (await fetch(`${s.base}/.well-known/alipay-dsa-public-key`)).text()).toBe(first);
    const { sign } = await import('node:crypto');
    const p: Record<string, string> = {
      _input_charset: 'UTF-8',
      service: 'create_forex_trade',
      partner: '2088000000000003',
      out_trade_no: 'D-1',
      subject: 'DSA',
      currency: 'USD',
      total_fee: '1.00',
      return_url: 'https://shop.test/return',
    };
    const signed = {
      ...p,
      sign: sign('sha1', Buffer.from(presign(p)), dsa.privateKey).toString('base64'),
      sign_type: 'DSA',
    };
    const { returnUrl } = await s.sandbox.control.simulatePayment(`${s.gateway}?${encode(signed)}`);
    const back = Object.fromEntries(new URL(returnUrl!).searchParams);
    expect(back.sign_type).toBe('DSA');
    expect(verify('sha1', Buffer.from(presign(back)), first, Buffer.from(back.sign!, 'base64'))).toBe(true);
  });
});
