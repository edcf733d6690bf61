/**
 * The drop-in bundle as a merchant consumes it: `@alipay-kit/widget/bundle` resolves to the
 * built file with types, and dist/alipay-checkout.bundle.js.sri holds the SRI hash of exactly
 * that file (the `openssl dgst -sha384 -binary … | openssl base64 -A` value the README gives).
 * Runs after the build (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('../', import.meta.url));
const bundle = `${pkgDir}dist/alipay-checkout.bundle.js`;
const pkg = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8')) as {
  engines: Record<string, string>;
  exports: Record<string, unknown>;
};

describe('@alipay-kit/widget drop-in bundle', () => {
  it('is the ./bundle export, with the types of the element module, and its SRI file is ./bundle.sri', () => {
    expect(pkg.exports['./bundle']).toEqual({
      types: './dist/components/alipay-checkout/alipay-checkout.d.ts',
      default: './dist/alipay-checkout.bundle.js',
    });
    expect(pkg.exports['./bundle.sri']).toBe('./dist/alipay-checkout.bundle.js.sri');
    const require = createRequire(import.meta.url);
    expect(require.resolve('@alipay-kit/widget/bundle')).toBe(bundle);
    expect(existsSync(`${pkgDir}dist/components/alipay-checkout/alipay-checkout.d.ts`)).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toMatch(/export\s*\{\s*\w+ as AlipayCheckout\s*\}/);
  });

  it('dist/alipay-checkout.bundle.js.sri is the sha384 of the bundle, as openssl computes it', () => {
    const sri = readFileSync(`${bundle}.sri`, 'utf8').trim();
    expect(sri).toBe(`sha384-${createHash('sha384').update(readFileSync(bundle)).digest('base64')}`);
    const openssl = spawnSync('sh', ['-c', `openssl dgst -sha384 -binary '${bundle}' | openssl base64 -A`], {
      encoding: 'utf8',
    });
    expect(openssl.status).toBe(0);
    expect(sri).toBe(`sha384-${openssl.stdout.trim()}`);
  });

  it('declares the Node versions it supports', () => {
    expect(pkg.engines).toEqual({ node: '>=20.19' });
  });
});
