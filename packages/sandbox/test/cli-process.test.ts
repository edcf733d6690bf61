/**
 * The built `alipay-sandbox` CLI as a user runs it: a child process started through the
 * committed bin shim (bin/alipay-sandbox.mjs → dist/bin.js). Exit codes, one-sentence errors,
 * the real port behind `--port 0` (banner and cashier form actions), a busy port, `--version`,
 * and `explain` naming the merchant's own public key configured in place of Alipay's.
 */
import { spawn } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encode, KEY_A, PARTNER_A, signMd5 } from './helpers.js';

const shim = fileURLToPath(new URL('../bin/alipay-sandbox.mjs', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

/** Run the CLI (or another command, `cmd`) to completion. */
function run(
  args: string[],
  cmd: string[] = [process.execPath, shim],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0]!, [...cmd.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Start `serve` and wait for its banner line (no timer: the promise settles on output or exit). */
function serve(args: string[]): Promise<{ banner: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [shim, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/ {2}merchants .*\n/.test(out)) {
        resolve({
          banner: out,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code} before its banner: ${out}${err}`)));
  });
}

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('alipay-sandbox (built CLI through the bin shim)', () => {
  it('package.json points the bin at the committed shim', () => {
    expect(pkg.bin).toEqual({ 'alipay-sandbox': './bin/alipay-sandbox.mjs' });
  });

  it('the repository root links the bin, so npx alipay-sandbox runs the built CLI there', async () => {
    const linked = fileURLToPath(new URL('../../../node_modules/.bin/alipay-sandbox', import.meta.url));
    expect(await run(['--version'], [linked])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('the shim says what to do when the CLI is not built yet (a fresh clone before the build)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alipay-shim-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(shim, join(dir, 'bin/alipay-sandbox.mjs'));
      const r = await run(['--help'], [process.execPath, join(dir, 'bin/alipay-sandbox.mjs')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'alipay-sandbox: the CLI is not built yet (no packages/sandbox/dist/bin.js): run `npm run build` (or `node_modules/.bin/tsc -b`) at the repository root first\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--help exits 0 with the usage on stdout; --version prints package.json version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('alipay-sandbox serve');
    expect(help.stdout).toContain('--version');
    const version = await run(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('bad flags and commands get one sentence on stderr and exit 2, never a stack', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['serve', '--port', 'abc', '--partner', PARTNER_A, '--md5-key', KEY_A],
        /--port must be a whole number from 0 to 65535 .*"abc"/,
      ],
      [['serve', '--port', '70000', '--partner', PARTNER_A, '--md5-key', KEY_A], /--port must be a whole number/],
      [['serve', '--bogus'], /Unknown option '--bogus'/],
      [['serve', '--port'], /'--port <value>' argument missing/],
      [['serve', '--partner', PARTNER_A], /--partner needs --md5-key/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['trigger', 'payment'], /trigger needs --to/],
      [
        ['explain', 'a=b', '--public-key', '/nonexistent/alipay.pem'],
        /--public-key: cannot read \/nonexistent\/alipay\.pem \(ENOENT\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().split('\n')).toHaveLength(2); // the sentence, then where to find the flags
    }
  });

  it('serve on a busy port exits 1 with a sentence naming the port, and prints no banner', async () => {
    const held = await holdPort();
    try {
      const r = await run(['serve', '--port', String(held.port), '--partner', PARTNER_A, '--md5-key', KEY_A]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `alipay-sandbox: port ${held.port} on 127.0.0.1 is already in use: stop what holds it, or pick another with --port (0 picks a free one)\n`,
      );
    } finally {
      await new Promise((resolve) => held.server.close(resolve));
    }
  });

  it('serve --port 0 prints the real port, and the cashier form posts to it', async () => {
    const { banner, stop } = await serve(['--port', '0', '--partner', PARTNER_A, '--md5-key', KEY_A]);
    try {
      const port = Number(/gateway {5}http:\/\/127\.0\.0\.1:(\d+)\/gateway\.do/.exec(banner)?.[1]);
      expect(port).toBeGreaterThan(0);
      expect(banner).not.toContain(':0/');
      const base = `http://127.0.0.1:${port}`;
      // §3.1 create_forex_trade (MD5): the gateway answers with the cashier page.
      const pay = signMd5({
        _input_charset: 'UTF-8',
        service: 'create_forex_trade',
        partner: PARTNER_A,
        out_trade_no: 'CLI-PORT0',
        subject: 's',
        currency: 'USD',
        total_fee: '1.00',
      });
      const page = await fetch(`${base}/gateway.do?${encode(pay)}`).then((r) => r.text());
      const targets = [...page.matchAll(/(?:action|href)="(https?:\/\/[^"]+)"/g)].map((m) => m[1]!);
      expect(targets.length).toBeGreaterThan(0);
      for (const t of targets) expect(t.startsWith(`${base}/`), t).toBe(true);
    } finally {
      await stop();
    }
  });

  it("explain --merchant-key says the merchant's own public key was configured in place of Alipay's (§2.3, §2.6)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alipay-cli-'));
    try {
      const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = (k: typeof alipay.publicKey | typeof alipay.privateKey) =>
        k.export({ type: k.type === 'public' ? 'spki' : 'pkcs8', format: 'pem' }).toString();
      writeFileSync(join(dir, 'configured.pem'), pem(merchant.publicKey)); // the mistake: the merchant's own public key
      writeFileSync(join(dir, 'merchant-private.pem'), pem(merchant.privateKey));
      // A notification signed by Alipay (RSA2 = SHA256withRSA over the §2.1 pre-sign string).
      const params: Record<string, string> = {
        notify_id: 'n1',
        notify_type: 'trade_status_sync',
        out_trade_no: 'CLI-EXPLAIN',
        trade_status: 'TRADE_FINISHED',
      };
      const preSign = Object.keys(params)
        .sort()
        .map((k) => `${k}=${params[k]}`)
        .join('&');
      const sign = createSign('RSA-SHA256').update(preSign).sign(alipay.privateKey, 'base64');
      const input = `${encode(params)}&sign_type=RSA2&sign=${encodeURIComponent(sign)}`;
      const withKey = await run([
        'explain',
        input,
        '--public-key',
        join(dir, 'configured.pem'),
        '--merchant-key',
        join(dir, 'merchant-private.pem'),
      ]);
      expect(withKey.code).toBe(1);
      expect(withKey.stdout).toContain(
        "MERCHANT_PUBLIC_KEY: the key configured as Alipay's public key is the merchant's own public key",
      );
      const without = await run(['explain', input, '--public-key', join(dir, 'configured.pem')]);
      expect(without.code).toBe(1);
      expect(without.stdout).toContain('hint: add --merchant-key');
      expect(without.stdout).not.toContain('MERCHANT_PUBLIC_KEY');
      writeFileSync(join(dir, 'alipay.pem'), pem(alipay.publicKey));
      const right = await run([
        'explain',
        input,
        '--public-key',
        join(dir, 'alipay.pem'),
        '--merchant-key',
        join(dir, 'merchant-private.pem'),
      ]);
      expect(right.code).toBe(0);
      expect(right.stdout).toContain('the signature VERIFIES');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
