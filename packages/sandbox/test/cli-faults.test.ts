/**
 * `alipay-sandbox serve` fault flags: faults come from the CLI as well as from the control API.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { faultsFromFlags } from '../src/cli/fault-flags.js';
import { KEY_A, PARTNER_A } from './helpers.js';

describe('alipay-sandbox serve fault flags', () => {
  it('faultsFromFlags maps every flag onto FaultConfig and refuses out-of-range values naming the flag', () => {
    expect(faultsFromFlags({})).toBeUndefined();
    expect(
      faultsFromFlags({ latency: '250', '5xx': '0.2', 'timeout-rate': '0.1', 'truncate-xml': '0.05', 'duplicate-notifications': '2', 'out-of-order': true, 'mangle-sign-plus': true, 'gbk-responses': true }),
    ).toEqual({ latencyMs: 250, http5xx: 0.2, timeout: 0.1, truncateXml: 0.05, duplicateNotifications: 2, outOfOrderNotifications: true, mangleSignPlus: true, gbkResponses: true });
    expect(() => faultsFromFlags({ '5xx': '1.5' })).toThrow(/--5xx must be a number from 0 to 1/);
    expect(() => faultsFromFlags({ latency: 'soon' })).toThrow(/--latency/);
    expect(() => faultsFromFlags({ 'duplicate-notifications': '1.5' })).toThrow(/whole number/);
  });

  it('serve --5xx 1 answers every gateway call with HTTP 500', async () => {
    const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(tsx, [bin, 'serve', '--port', String(port), '--partner', PARTNER_A, '--md5-key', KEY_A, '--5xx', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('faults')) {
            clearTimeout(t);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      expect(out).toContain('"http5xx":1');
      // protocol §2.7 A3: a valid request, failed only by the injected fault.
      const r = await fetch(`http://127.0.0.1:${port}/gateway.do?partner=${PARTNER_A}&service=forex_rate_file&sign=4051af1716d522b47acff927d4fb9781&sign_type=MD5`);
      expect(r.status).toBe(500);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
