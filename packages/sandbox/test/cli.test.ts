/**
 * The CLI: `serve` prints its URLs and serves, `trigger` sends a signed notification,
 * `explain` names why a signature fails.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainInput } from '../src/cli/explain.js';
import { triggerNotification } from '../src/cli/trigger.js';
import { KEY_A, md5Hex, PARTNER_A, presign, startMerchant } from './helpers.js';

describe('alipay-sandbox CLI', () => {
  it('trigger payment sends a correctly signed §3.9 notification and reports the acknowledgement', async () => {
    const m = await startMerchant();
    try {
      const out = await triggerNotification({
        kind: 'payment',
        to: `${m.url}/notify`,
        partner: PARTNER_A,
        md5Key: KEY_A,
        outTradeNo: 'CLI-1',
      });
      expect(out).toMatchObject({ status: 200, body: 'success' });
      const n = m.notifications()[0]!;
      expect(n).toMatchObject({
        notify_type: 'trade_status_sync',
        out_trade_no: 'CLI-1',
        trade_status: 'TRADE_FINISHED',
        sign_type: 'MD5',
      });
      expect(n.sign).toBe(md5Hex(presign(n), KEY_A));
      await triggerNotification({
        kind: 'refund',
        to: `${m.url}/notify`,
        partner: PARTNER_A,
        md5Key: KEY_A,
        refundStatus: 'REFUND_FAIL',
      });
      expect(m.notifications()[1]).toMatchObject({
        notify_type: 'refund_status_sync',
        refund_status: 'REFUND_FAIL',
        error_code: 'SYSTEM_EXCEPTION',
      });
    } finally {
      await m.close();
    }
  });

  it('explain accepts protocol §2.7 A3 and names the cause of an uppercase or space-mangled sign', async () => {
    const ok = await explainInput(
      'partner=2088101122136241&service=forex_rate_file&sign=4051af1716d522b47acff927d4fb9781&sign_type=MD5',
      { md5Key: KEY_A },
    );
    expect(ok.ok).toBe(true);
    expect(ok.report).toContain('pre-sign string (§2.1): partner=2088101122136241&service=forex_rate_file');
    const bad = await explainInput(
      'https://x.test/gateway.do?partner=2088101122136241&service=forex_rate_file&sign=4051AF1716D522B47ACFF927D4FB9781&sign_type=MD5',
      { md5Key: KEY_A },
    );
    expect(bad.ok).toBe(false);
    expect(bad.report).toContain('UPPERCASE_HEX');
    expect(bad.report).not.toContain('4051');
  });

  it('serve prints the gateway and dashboard URLs and answers the A3 vector', async () => {
    const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      tsx,
      [bin, 'serve', '--port', String(port), '--partner', PARTNER_A, '--md5-key', KEY_A, '--time-scale', '60'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('dashboard')) {
            clearTimeout(t);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      expect(out).toContain(`gateway     http://127.0.0.1:${port}/gateway.do`);
      const r = await fetch(
        `http://127.0.0.1:${port}/gateway.do?partner=${PARTNER_A}&service=forex_rate_file&sign=4051af1716d522b47acff927d4fb9781&sign_type=MD5`,
      );
      expect(await r.text()).toMatch(/\|USD\|6\.706400\r\n/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
