/**
 * The login throttle against forged `X-Forwarded-For` (issue 14): with no proxy configured the
 * header is ignored, so an attacker can neither escape the throttle nor lock out someone else by
 * naming their address, and the header's text never reaches a log line. With `TRUST_PROXY` the
 * header is followed, but only a valid address counts. A global limit stops many addresses
 * guessing together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.js';
import { clientAddress, parseTrustProxy, throttleKey } from '../src/client-address.js';
import { createLoginThrottle } from '../src/login-throttle.js';
import { ADMIN_PASSWORD } from './harness.js';
import { location, postLogin, sessionCookie, startTestShop, type TestShop } from './security-client.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';

const FORGED = 'FORGED-TEXT admin logged in from 10.0.0.1';
let shop: TestShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

describe('login throttle with clients connecting directly (TRUST_PROXY unset)', () => {
  it('should count a forged X-Forwarded-For against the real sender, not bypass the throttle nor lock out the named address', async () => {
    shop = await startTestShop();
    for (let i = 0; i < 10; i++) {
      // Half name the victim's address, half a new address each time.
      const xff = i % 2 ? '127.0.0.2' : `203.0.113.${i}, ${FORGED}`;
      const res = await postLogin(shop, 'wrong', { headers: { 'x-forwarded-for': xff } });
      expect(location(res)).toMatch(/error=1/);
    }
    // The 11th attempt, even with the right password and yet another forged address, is refused.
    const blocked = await postLogin(shop, ADMIN_PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.77' } });
    expect(blocked.status).toBe(303);
    expect(location(blocked)).toMatch(/error=throttled/);
    expect(sessionCookie(blocked)).toBeUndefined();
    // The real admin at 127.0.0.2 is not locked out.
    const admin = await postLogin(shop, ADMIN_PASSWORD, { localAddress: '127.0.0.2' });
    expect(location(admin)).toBe('/admin');
    expect(sessionCookie(admin)).toMatch(/^ll_admin=/);
  });

  it('should log only the validated sender address, never the header text', async () => {
    shop = await startTestShop();
    await postLogin(shop, 'wrong', { headers: { 'x-forwarded-for': FORGED } });
    await postLogin(shop, 'wrong', { headers: { 'x-forwarded-for': FORGED }, localAddress: '127.0.0.3' });
    const lines = shop.logs.filter((l) => l.includes('failed login'));
    expect(lines).toEqual(['admin: failed login from 127.0.0.1', 'admin: failed login from 127.0.0.3']);
    expect(shop.logs.join('\n')).not.toContain('FORGED');
    expect(shop.logs.join('\n')).not.toContain('10.0.0.1');
  });
});

describe('login throttle behind a configured proxy (TRUST_PROXY=loopback)', () => {
  it('should throttle the forwarded address only, and key text that is not an address as unknown without logging it', async () => {
    shop = await startTestShop({ trustProxy: ['loopback'] });
    for (let i = 0; i < 10; i++) await postLogin(shop, 'wrong', { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(location(await postLogin(shop, ADMIN_PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.7' } }))).toMatch(
      /error=throttled/,
    );
    expect(location(await postLogin(shop, ADMIN_PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.8' } }))).toBe(
      '/admin',
    );
    await postLogin(shop, 'wrong', { headers: { 'x-forwarded-for': FORGED } });
    expect(shop.logs).toContain('admin: failed login from 198.51.100.7');
    expect(shop.logs).toContain('admin: failed login from an unknown address');
    expect(shop.logs.join('\n')).not.toContain('FORGED');
  });

  it('should refuse every address once the global limit is reached, until the window has passed', async () => {
    let t = Date.UTC(2026, 0, 1);
    shop = await startTestShop({ trustProxy: ['loopback'], adminClock: () => t });
    // 100 failures from 100 different addresses: none reaches the per-address limit.
    for (let i = 0; i < 100; i++) await postLogin(shop, 'wrong', { headers: { 'x-forwarded-for': `192.0.2.${i}` } });
    const fresh = await postLogin(shop, ADMIN_PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.9' } });
    expect(location(fresh)).toMatch(/error=throttled/);
    expect(shop.logs).toContain('admin: login throttled (global) for 198.51.100.9');
    t += 15 * 60 * 1000;
    expect(location(await postLogin(shop, ADMIN_PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.9' } }))).toBe(
      '/admin',
    );
  });
});

describe('throttle internals', () => {
  it('should drop the least recently failed address when full, not forget everyone', () => {
    const throttle = createLoginThrottle({ perAddress: 2, maxEntries: 2, global: 1000, now: () => 0 });
    for (const k of ['a', 'a', 'b', 'b', 'c', 'c']) throttle.recordFailure(k);
    expect(throttle.size).toBe(2);
    expect(throttle.refused('a')).toBeUndefined();
    expect(throttle.refused('b')).toBe('address');
    expect(throttle.refused('c')).toBe('address');
  });

  it('should validate addresses and key IPv6 by /64', () => {
    const req = (ip: string | undefined) => ({ ip, socket: {} }) as unknown as Request;
    expect(clientAddress(req('::ffff:127.0.0.1'))).toBe('127.0.0.1');
    expect(clientAddress(req('2001:DB8::1'))).toBe('2001:db8::1');
    expect(clientAddress(req(FORGED))).toBeUndefined();
    expect(clientAddress(req(undefined))).toBeUndefined();
    expect(throttleKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleKey(undefined)).toBe('unknown');
  });

  it('should read TRUST_PROXY as Express accepts it and refuse true and junk', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8 ,::1')).toEqual(['loopback', '10.0.0.0/8', '::1']);
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example.com', '1.2.3'])
      expect(() => parseTrustProxy(bad), bad).toThrow(expect.objectContaining({ code: 'ERR_TRUST_PROXY' }));
    const dir = mkdtempSync(join(tmpdir(), 'demo-cfg-'));
    try {
      expect(configFromEnv({ DEMO_DATA_DIR: dir }).trustProxy).toBe(false);
      expect(configFromEnv({ DEMO_DATA_DIR: dir, TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(() => configFromEnv({ DEMO_DATA_DIR: dir, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
