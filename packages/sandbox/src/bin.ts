#!/usr/bin/env node
/**
 * `alipay-sandbox`: serve the sandbox, trigger a signed notification, or explain a signature.
 *
 *   alipay-sandbox serve --port 4010 --partner 2088… --md5-key … [--merchant-public-key file] [--data file] [--time-scale 60]
 *                        [--config merchants.json] [--alipay-private-key pem] [--tls-cert pem --tls-key pem]
 *   alipay-sandbox trigger payment --to http://localhost:3000/notify --partner 2088… --md5-key …
 *   alipay-sandbox explain 'service=…&sign=…' --md5-key …      (or pipe the input on stdin)
 *   alipay-sandbox --help | --version
 *
 * Exit codes: 0 done (`serve` keeps running until SIGINT/SIGTERM), 1 a signature or
 * acknowledgement that failed, or a port it cannot listen on, 2 a bad flag or command (one
 * sentence on stderr, never a stack trace).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serve } from './cli/serve.js';
import { explainInput } from './cli/explain.js';
import { triggerNotification } from './cli/trigger.js';
import { FAULT_FLAG_OPTIONS, FAULT_FLAG_USAGE } from './cli/fault-flags.js';
import { CliUsageError, fromParseArgsError } from './cli/usage-error.js';

const USAGE = `usage:
  alipay-sandbox serve [--port 4010] [--host 127.0.0.1] (--partner <pid> (--md5-key <key> | --merchant-public-key <file> | --merchant-dsa-public-key <file>) [--name <text>] | --config <file.json>)
                 [--data <sqlite file>] [--time-scale <n>] [--alipay-private-key <pem file>] [--tls-cert <pem file> --tls-key <pem file>]
                 [--lenient-ack] [--refund-throttle <ms> [--refund-throttle-per partner|trade]]
                 ${FAULT_FLAG_USAGE}
  alipay-sandbox trigger <payment|refund> --to <notify url> --partner <pid> (--md5-key <key> | --private-key <file> [--sign-type RSA|RSA2])
                 [--out-trade-no ..] [--out-return-no ..] [--total-fee 1.00] [--currency USD] [--charset utf-8|gbk] [--refund-status REFUND_FAIL]
  alipay-sandbox explain [<query string | URL | form body>] (--md5-key <key> | --public-key <file> [--merchant-key <file>]) [--sign-type MD5|RSA|RSA2] [--charset utf-8|gbk]
  alipay-sandbox --help | --version`;

const HELP_HINT = 'run alipay-sandbox --help for the commands and flags';

function version(): string {
  // dist/bin.js and src/bin.ts both sit one folder below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function readFlagFile(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliUsageError(
      `${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        partner: { type: 'string' },
        'md5-key': { type: 'string' },
        'merchant-public-key': { type: 'string' },
        'merchant-dsa-public-key': { type: 'string' },
        config: { type: 'string' },
        'alipay-private-key': { type: 'string' },
        'lenient-ack': { type: 'boolean' },
        'refund-throttle': { type: 'string' },
        'refund-throttle-per': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        data: { type: 'string' },
        'time-scale': { type: 'string' },
        name: { type: 'string' },
        to: { type: 'string' },
        'private-key': { type: 'string' },
        'public-key': { type: 'string' },
        'sign-type': { type: 'string' },
        charset: { type: 'string' },
        'out-trade-no': { type: 'string' },
        'out-return-no': { type: 'string' },
        'total-fee': { type: 'string' },
        currency: { type: 'string' },
        'refund-status': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        'merchant-key': { type: 'string' },
        ...FAULT_FLAG_OPTIONS,
      },
    });
  } catch (e) {
    throw fromParseArgsError(e);
  }
  const { values: v, positionals } = parsed;
  const [command, sub] = positionals;
  if (v.version) {
    console.log(version());
    return 0;
  }
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'serve') {
    let served;
    try {
      served = await serve(v, (line) => console.log(`[sandbox] ${line}`));
    } catch (e) {
      if (e instanceof CliUsageError) throw e;
      // The flag checks of serve throw TypeError/RangeError with one sentence naming the flag.
      if (e instanceof TypeError || e instanceof RangeError) throw new CliUsageError(e.message);
      throw e;
    }
    const { sandbox, server, banner } = served;
    console.log(banner);
    const stop = async () => {
      await sandbox.close();
      server.closeAllConnections();
      server.close(() => process.exit(0));
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    return -1; // keep running
  }
  if (command === 'trigger') {
    if (sub !== 'payment' && sub !== 'refund')
      throw new CliUsageError(`trigger needs payment or refund${sub ? `, not ${JSON.stringify(sub)}` : ''}`);
    if (!v.to || !v.partner) throw new CliUsageError('trigger needs --to <notify url> and --partner <pid>');
    const out = await triggerNotification({
      kind: sub,
      to: v.to,
      partner: v.partner,
      ...(v['md5-key'] ? { md5Key: v['md5-key'] } : {}),
      ...(v['private-key'] ? { privateKey: readFlagFile(v['private-key'], '--private-key') } : {}),
      ...(v['sign-type'] ? { signType: v['sign-type'] as 'MD5' } : {}),
      ...(v.charset ? { charset: v.charset } : {}),
      ...(v['out-trade-no'] ? { outTradeNo: v['out-trade-no'] } : {}),
      ...(v['out-return-no'] ? { outReturnNo: v['out-return-no'] } : {}),
      ...(v['total-fee'] ? { totalFee: v['total-fee'] } : {}),
      ...(v.currency ? { currency: v.currency } : {}),
      ...(v['refund-status'] ? { refundStatus: v['refund-status'] as 'REFUND_FAIL' } : {}),
    });
    const shown = Object.entries(out.sent)
      .filter(([k]) => k !== 'sign')
      .map(([k, val]) => `  ${k}=${val}`)
      .join('\n');
    console.log(
      `sent ${sub} notification (sign omitted):\n${shown}\nmerchant answered HTTP ${out.status}: ${JSON.stringify(out.body.slice(0, 500))}`,
    );
    console.log(
      out.status === 200 && out.body === 'success'
        ? 'acknowledged (exact "success", §4)'
        : 'NOT acknowledged: Alipay would retry (§4 needs HTTP 200 and exactly "success")',
    );
    return out.status === 200 && out.body === 'success' ? 0 : 1;
  }
  if (command === 'explain') {
    const input = sub ?? (await readStdin());
    const out = await explainInput(input, {
      ...(v['md5-key'] ? { md5Key: v['md5-key'] } : {}),
      ...(v['public-key'] ? { publicKey: readFlagFile(v['public-key'], '--public-key') } : {}),
      ...(v['merchant-key'] ? { merchantKey: readFlagFile(v['merchant-key'], '--merchant-key') } : {}),
      ...(v['sign-type'] ? { signType: v['sign-type'] as 'MD5' } : {}),
      ...(v.charset ? { charset: v.charset } : {}),
    });
    console.log(out.report);
    return out.ok ? 0 : 1;
  }
  throw new CliUsageError(`unknown command ${JSON.stringify(command)} (serve, trigger or explain)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliUsageError) {
      console.error(`alipay-sandbox: ${err.message}${err.exitCode === 2 ? `\n${HELP_HINT}` : ''}`);
      process.exitCode = err.exitCode;
      return;
    }
    console.error(`alipay-sandbox: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
