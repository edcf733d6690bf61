/**
 * `alipay-sandbox serve` fault flags: faults come from the CLI as well as from the control API.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { faultsFromFlags } from '../src/cli/fault-flags.js';
import { encode, KEY_A, PARTNER_A, signMd5 } from './helpers.js';

describe('alipay-sandbox serve fault flags', () => {
  it('faultsFromFlags maps every flag onto FaultConfig and refuses out-of-range values naming the flag', () => {
    expect(faultsFromFlags({})).toBeUndefined();
    expect(
      faultsFromFlags({
        latency: '250',
        '5xx': '0.2',
        'timeout-rate': '0.1',
        'truncate-xml': '0.05',
        'duplicate-notifications': '2',
        'out-of-order': true,
        'mangle-sign-plus': true,
        'gbk-responses': true,
      }),
    ).toEqual({
      latencyMs: 250,
      http5xx: 0.2,
      timeout: 0.1,
      truncateXml: 0.05,
      duplicateNotifications: 2,
      outOfOrderNotifications: true,
      mangleSignPlus: true,
      gbkResponses: true,
    });
    expect(() => faultsFromFlags({ '5xx': '1.5' })).toThrow(/--5xx must be a number from 0 to 1/);
    expect(() => faultsFromFlags({ latency: 'soon' })).toThrow(/--latency/);
    expect(() => faultsFromFlags({ 'duplicate-notifications': '1.5' })).toThrow(/whole number/);
  });

  it('maps the issue-12 flags: --refund-system-error, --refund-system-error-applied, --cut-file-stream', () => {
    expect(
      faultsFromFlags({
        'refund-system-error': '0.3',
        'refund-system-error-applied': 'false',
        'cut-file-stream': '0.5',
      }),
    ).toEqual({ refundSystemError: 0.3, refundSystemErrorApplied: false, cutFileStream: 0.5 });
    expect(faultsFromFlags({ 'refund-system-error-applied': 'true' })).toEqual({ refundSystemErrorApplied: true });
    expect(faultsFromFlags({ 'refund-system-error': '0' })).toEqual({ refundSystemError: 0 });
    expect(() => faultsFromFlags({ 'refund-system-error': '1.01' })).toThrow(
      /--refund-system-error must be a number from 0 to 1/,
    );
    expect(() => faultsFromFlags({ 'cut-file-stream': 'half' })).toThrow(
      /--cut-file-stream must be a number from 0 to 1/,
    );
    expect(() => faultsFromFlags({ 'refund-system-error-applied': 'yes' })).toThrow(
      /--refund-system-error-applied must be true or false/,
    );
  });

  it('serve --5xx 1 answers every gateway call with HTTP 500', async () => {
    const { port, out, child } = await serve(['--5xx', '1']);
    try {
      expect(out).toContain('"http5xx":1');
      // protocol §2.7 A3: a valid request, failed only by the injected fault.
      const r = await fetch(
        `http://127.0.0.1:${port}/gateway.do?partner=${PARTNER_A}&service=forex_rate_file&sign=4051af1716d522b47acff927d4fb9781&sign_type=MD5`,
      );
      expect(r.status).toBe(500);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('serve --refund-system-error 1 --refund-system-error-applied false --cut-file-stream 1 applies the issue-12 faults', async () => {
    const { port, out, child } = await serve([
      '--refund-system-error',
      '1',
      '--refund-system-error-applied',
      'false',
      '--cut-file-stream',
      '1',
    ]);
    const base = `http://127.0.0.1:${port}`;
    try {
      expect(out).toContain('"refundSystemError":1,"refundSystemErrorApplied":false,"cutFileStream":1');
      // §2.7 A3 (forex_rate_file): headers, then the body breaks off.
      const rates = await fetch(
        `${base}/gateway.do?partner=${PARTNER_A}&service=forex_rate_file&sign=4051af1716d522b47acff927d4fb9781&sign_type=MD5`,
      );
      expect(rates.status).toBe(200);
      await expect(rates.text()).rejects.toThrow();
      // A paid trade, then a refund: SYSTEM_ERROR, and nothing executed.
      const pay = signMd5({
        _input_charset: 'UTF-8',
        service: 'create_forex_trade',
        partner: PARTNER_A,
        out_trade_no: 'CLI-1',
        subject: 's',
        currency: 'USD',
        total_fee: '1.00',
      });
      await fetch(`${base}/_sandbox/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${base}/gateway.do?${encode(pay)}` }),
      });
      const refund = signMd5({
        _input_charset: 'UTF-8',
        service: 'forex_refund',
        partner: PARTNER_A,
        out_trade_no: 'CLI-1',
        out_return_no: 'CLI-R1',
        currency: 'USD',
        return_amount: '1.00',
        gmt_return: '2026-11-25 12:00:00',
      });
      expect(await fetch(`${base}/gateway.do?${encode(refund)}`).then((r) => r.text())).toContain(
        '<error>SYSTEM_ERROR</error>',
      );
      expect(await fetch(`${base}/_sandbox/refunds`).then((r) => r.json())).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

/** Start `alipay-sandbox serve` with extra flags on a random port; resolves once the banner names the faults. */
async function serve(flags: string[]) {
  const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    tsx,
    [bin, 'serve', '--port', String(port), '--partner', PARTNER_A, '--md5-key', KEY_A, ...flags],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  try {
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
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  return { port, out, child };
}
