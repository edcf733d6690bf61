#!/usr/bin/env node
/**
 * `alipay-sandbox`: serve the sandbox, trigger a signed notification, or explain a signature.
 *
 *   alipay-sandbox serve --port 4010 --partner 2088… --md5-key … [--merchant-public-key file] [--data file] [--time-scale 60]
 *   alipay-sandbox trigger payment --to http://localhost:3000/notify --partner 2088… --md5-key …
 *   alipay-sandbox explain 'service=…&sign=…' --md5-key …      (or pipe the input on stdin)
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSandbox } from './sandbox.js';
import { explainInput } from './cli/explain.js';
import { triggerNotification } from './cli/trigger.js';
import { FAULT_FLAG_OPTIONS, FAULT_FLAG_USAGE, faultsFromFlags } from './cli/fault-flags.js';

const USAGE = `usage:
  alipay-sandbox serve --port <n> --partner <pid> --md5-key <key> [--merchant-public-key <file>] [--data <sqlite file>] [--time-scale <n>] [--host 127.0.0.1]
                 ${FAULT_FLAG_USAGE}
  alipay-sandbox trigger <payment|refund> --to <notify url> --partner <pid> (--md5-key <key> | --private-key <file> [--sign-type RSA|RSA2])
                 [--out-trade-no ..] [--out-return-no ..] [--total-fee 1.00] [--currency USD] [--charset utf-8|gbk] [--refund-status REFUND_FAIL]
  alipay-sandbox explain [<query string | URL | form body>] (--md5-key <key> | --public-key <file>) [--sign-type MD5|RSA|RSA2] [--charset utf-8|gbk]`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

async function main(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, partner: { type: 'string' }, 'md5-key': { type: 'string' },
      'merchant-public-key': { type: 'string' }, data: { type: 'string' }, 'time-scale': { type: 'string' }, name: { type: 'string' },
      to: { type: 'string' }, 'private-key': { type: 'string' }, 'public-key': { type: 'string' }, 'sign-type': { type: 'string' },
      charset: { type: 'string' }, 'out-trade-no': { type: 'string' }, 'out-return-no': { type: 'string' }, 'total-fee': { type: 'string' },
      currency: { type: 'string' }, 'refund-status': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      ...FAULT_FLAG_OPTIONS,
    },
  });
  const [command, sub] = positionals;
  if (v.help || !command) {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'serve') {
    if (!v.partner || (!v['md5-key'] && !v['merchant-public-key'])) {
      console.error('serve needs --partner and --md5-key (or --merchant-public-key)\n' + USAGE);
      return 2;
    }
    let faults;
    try {
      faults = faultsFromFlags(v);
    } catch (e) {
      console.error(`${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    const port = Number(v.port ?? '4010');
    const host = v.host ?? '127.0.0.1';
    const base = `http://${host}:${port}`;
    const sandbox = createSandbox({
      merchants: [{ partner: v.partner, ...(v['md5-key'] ? { md5Key: v['md5-key'] } : {}), ...(v['merchant-public-key'] ? { rsaPublicKey: readFileSync(v['merchant-public-key'], 'utf8') } : {}), ...(v.name ? { name: v.name } : {}) }],
      ...(v.data ? { dataFile: v.data } : {}),
      ...(v['time-scale'] ? { timeScale: Number(v['time-scale']) } : {}),
      publicBaseUrl: base,
      logger: (line) => console.log(`[sandbox] ${line}`),
    });
    if (faults) sandbox.control.setFaults(undefined, faults);
    const server = sandbox.app.listen(port, host, () => {
      console.log(`alipay-sandbox listening
  gateway     ${base}/gateway.do
  dashboard   ${base}/
  public key  ${base}/.well-known/alipay-public-key
  control     ${base}/_sandbox/…${faults ? `\n  faults      ${JSON.stringify(faults)}` : ''}`);
    });
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
    if ((sub !== 'payment' && sub !== 'refund') || !v.to || !v.partner) {
      console.error(USAGE);
      return 2;
    }
    const out = await triggerNotification({
      kind: sub,
      to: v.to,
      partner: v.partner,
      ...(v['md5-key'] ? { md5Key: v['md5-key'] } : {}),
      ...(v['private-key'] ? { privateKey: readFileSync(v['private-key'], 'utf8') } : {}),
      ...(v['sign-type'] ? { signType: v['sign-type'] as 'MD5' } : {}),
      ...(v.charset ? { charset: v.charset } : {}),
      ...(v['out-trade-no'] ? { outTradeNo: v['out-trade-no'] } : {}),
      ...(v['out-return-no'] ? { outReturnNo: v['out-return-no'] } : {}),
      ...(v['total-fee'] ? { totalFee: v['total-fee'] } : {}),
      ...(v.currency ? { currency: v.currency } : {}),
      ...(v['refund-status'] ? { refundStatus: v['refund-status'] as 'REFUND_FAIL' } : {}),
    });
    const shown = Object.entries(out.sent).filter(([k]) => k !== 'sign').map(([k, val]) => `  ${k}=${val}`).join('\n');
    console.log(`sent ${sub} notification (sign omitted):\n${shown}\nmerchant answered HTTP ${out.status}: ${JSON.stringify(out.body.slice(0, 500))}`);
    console.log(out.status === 200 && out.body === 'success' ? 'acknowledged (exact "success", §4)' : 'NOT acknowledged: Alipay would retry (§4 needs HTTP 200 and exactly "success")');
    return out.status === 200 && out.body === 'success' ? 0 : 1;
  }
  if (command === 'explain') {
    const input = sub ?? (await readStdin());
    const out = await explainInput(input, {
      ...(v['md5-key'] ? { md5Key: v['md5-key'] } : {}),
      ...(v['public-key'] ? { publicKey: readFileSync(v['public-key'], 'utf8') } : {}),
      ...(v['sign-type'] ? { signType: v['sign-type'] as 'MD5' } : {}),
      ...(v.charset ? { charset: v.charset } : {}),
    });
    console.log(out.report);
    return out.ok ? 0 : 1;
  }
  console.error(`unknown command ${command}\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  },
);
