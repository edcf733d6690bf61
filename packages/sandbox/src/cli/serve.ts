/**
 * `alipay-sandbox serve`: merchants from the single-merchant flags and/or `--config`, the
 * sandbox's RSA key pinned with `--alipay-private-key` (else kept in `--data`), HTTP or, with
 * `--tls-cert` + `--tls-key`, HTTPS on the same port (some SDKs refuse `http://` gateways).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { keyPairFromPrivateKey } from '../crypto/keys.js';
import { createSandbox } from '../sandbox.js';
import type { MerchantConfig, Sandbox, SandboxOptions } from '../types.js';
import { loadConfigFile } from './config-file.js';
import { faultsFromFlags } from './fault-flags.js';
import { CliUsageError, listenErrorMessage, parsePort } from './usage-error.js';

/** The `serve` flags, as parsed by `node:util` parseArgs. */
export type ServeFlags = Record<string, string | boolean | undefined>;

/** A started `serve`. */
export interface Served {
  sandbox: Sandbox;
  server: Server;
  /** `http://host:port` or `https://host:port`: what the cashier links and the banner use. */
  base: string;
  /** The banner printed once listening. */
  banner: string;
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new TypeError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The merchants of the flags and of `--config` (a partner may appear once). Throws `TypeError` with a usage hint. */
export function merchantsFromFlags(v: ServeFlags): {
  merchants: MerchantConfig[];
  options: ReturnType<typeof loadConfigFile>['options'];
} {
  const config = str(v.config) ? loadConfigFile(str(v.config)!) : undefined;
  const merchants = [...(config?.merchants ?? [])];
  const partner = str(v.partner);
  const md5Key = str(v['md5-key']);
  const rsaFile = str(v['merchant-public-key']);
  const dsaFile = str(v['merchant-dsa-public-key']);
  if (partner) {
    if (!md5Key && !rsaFile && !dsaFile)
      throw new TypeError('--partner needs --md5-key, --merchant-public-key or --merchant-dsa-public-key');
    merchants.push({
      partner,
      ...(md5Key ? { md5Key } : {}),
      ...(rsaFile ? { rsaPublicKey: readText(rsaFile, '--merchant-public-key') } : {}),
      ...(dsaFile ? { dsaPublicKey: readText(dsaFile, '--merchant-dsa-public-key') } : {}),
      ...(str(v.name) ? { name: str(v.name)! } : {}),
    });
  } else if (md5Key || rsaFile || dsaFile) {
    throw new TypeError('--md5-key / --merchant-public-key / --merchant-dsa-public-key need --partner');
  }
  if (merchants.length === 0) throw new TypeError('serve needs --partner with a key, or --config <file.json>');
  return { merchants, options: config?.options ?? {} };
}

/** §4 lenient acknowledgement and §6.3 refund throttle from `--lenient-ack`, `--refund-throttle <ms>`, `--refund-throttle-per partner|trade`. */
export function behaviourFromFlags(v: ServeFlags): Pick<SandboxOptions, 'lenientAcknowledgement' | 'refundThrottle'> {
  const out: Pick<SandboxOptions, 'lenientAcknowledgement' | 'refundThrottle'> = {};
  if (v['lenient-ack'] === true) out.lenientAcknowledgement = true;
  const ms = str(v['refund-throttle']);
  const per = str(v['refund-throttle-per']);
  if (per !== undefined && per !== 'partner' && per !== 'trade')
    throw new RangeError('--refund-throttle-per must be partner or trade');
  if (ms !== undefined) {
    const n = Number(ms);
    if (!Number.isFinite(n) || n <= 0)
      throw new RangeError('--refund-throttle must be a positive number of ms (3000 per §6.3)');
    out.refundThrottle = { intervalMs: n, ...(per ? { per } : {}) };
  } else if (per !== undefined) throw new TypeError('--refund-throttle-per needs --refund-throttle <ms>');
  return out;
}

/**
 * Create the sandbox and listen. Resolves once listening.
 *
 * @example
 * ```ts
 * const { base, server } = await serve({ port: '4010', partner: '2088101122136241', 'md5-key': '…', 'tls-cert': 'cert.pem', 'tls-key': 'key.pem' })
 * // base === 'https://127.0.0.1:4010'
 * ```
 */
export async function serve(v: ServeFlags, logger: (line: string) => void = () => {}): Promise<Served> {
  const { merchants, options } = merchantsFromFlags(v);
  const faults = faultsFromFlags(v);
  const certFile = str(v['tls-cert']);
  const keyFile = str(v['tls-key']);
  if (!certFile !== !keyFile) throw new TypeError('--tls-cert and --tls-key go together');
  const tls =
    certFile && keyFile ? { cert: readText(certFile, '--tls-cert'), key: readText(keyFile, '--tls-key') } : undefined;
  const pinned = str(v['alipay-private-key']);
  const keyPair = pinned
    ? keyPairFromPrivateKey(readText(pinned, '--alipay-private-key'), '--alipay-private-key')
    : undefined;
  const port = parsePort(str(v.port) ?? '4010');
  const host = str(v.host) ?? '127.0.0.1';
  const timeScale = str(v['time-scale']);
  const behaviour = behaviourFromFlags(v);
  const scheme = tls ? 'https' : 'http';
  // The port is known only after listen when it is 0; the cashier links need it, so bind first.
  const server: Server = tls ? (createHttpsServer(tls) as unknown as Server) : createHttpServer();
  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => reject(new CliUsageError(listenErrorMessage(e, host, port), 1));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const base = `${scheme}://${shownHost}:${actualPort}`;
  let sandbox: Sandbox;
  try {
    sandbox = createSandbox({
      ...options,
      merchants,
      ...(str(v.data) ? { dataFile: str(v.data)! } : {}),
      ...(timeScale ? { timeScale: Number(timeScale) } : {}),
      ...(keyPair ? { keyPair } : {}),
      ...behaviour,
      publicBaseUrl: base,
      logger,
    });
  } catch (e) {
    server.close();
    throw e;
  }
  if (faults) sandbox.control.setFaults(undefined, faults);
  server.on('request', sandbox.app);
  const banner = `alipay-sandbox listening${tls ? ' (HTTPS)' : ''}
  gateway     ${base}/gateway.do
  dashboard   ${base}/
  public key  ${base}/.well-known/alipay-public-key
  control     ${base}/_sandbox/…
  merchants   ${merchants.map((m) => m.partner).join(', ')}${faults ? `\n  faults      ${JSON.stringify(faults)}` : ''}`;
  return { sandbox, server, base, banner };
}
