/**
 * Test helpers. Signing and encoding are written here from the protocol text, independently of
 * core's signer, so a bug shared by core and the sandbox cannot hide (issue 3 "Tests").
 */
import { createHash, createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { createSandbox } from '../src/index.js';
import type { Sandbox, SandboxOptions } from '../src/index.js';

/** Protocol §2.7 Key A and its partner (Kaligo / omnipay SANDBOX.md test merchant). */
export const KEY_A = '760bdzec6y9goq7ctyx96ezkz78287de';
export const PARTNER_A = '2088101122136241';

/** 2026-11-25 12:00:00 Beijing time. */
export const T0 = Date.UTC(2026, 10, 25, 4, 0, 0);

type Cs = 'utf-8' | 'gbk';

/** §2.1: drop sign/sign_type (any case) and empty values, sort by code unit, join raw. */
export function presign(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => !/^(sign|sign_type)$/i.test(k) && params[k] !== '' && params[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** §2.2: md5(bytes(prestr) ‖ bytes(key)), lowercase hex. */
export function md5Hex(pre: string, key: string, charset: Cs = 'utf-8'): string {
  return createHash('md5')
    .update(Buffer.concat([iconv.encode(pre, charset), iconv.encode(key, charset)]))
    .digest('hex');
}

/** MD5-sign params and return them with sign + sign_type. */
export function signMd5(params: Record<string, string>, key = KEY_A, charset: Cs = 'utf-8'): Record<string, string> {
  return { ...params, sign: md5Hex(presign(params), key, charset), sign_type: 'MD5' };
}

/** RSA (SHA1withRSA) / RSA2 (SHA256withRSA) with the merchant's private key. */
export function signRsa(
  params: Record<string, string>,
  privateKey: string,
  type: 'RSA' | 'RSA2' = 'RSA2',
  charset: Cs = 'utf-8',
): Record<string, string> {
  const s = createSign(type === 'RSA2' ? 'RSA-SHA256' : 'RSA-SHA1');
  s.update(iconv.encode(presign(params), charset));
  return { ...params, sign: s.sign(privateKey, 'base64'), sign_type: type };
}

/** Verify an RSA/RSA2 sign with the sandbox's public key. */
export function verifyRsa(
  params: Record<string, string>,
  publicKey: string,
  type: 'RSA' | 'RSA2',
  charset: Cs = 'utf-8',
): boolean {
  const v = createVerify(type === 'RSA2' ? 'RSA-SHA256' : 'RSA-SHA1');
  v.update(iconv.encode(presign(params), charset));
  return v.verify(publicKey, params.sign ?? '', 'base64');
}

/** §1.4 rule 7 form encoding (everything but A–Z a–z 0–9 - _ . ~ as %XX of the charset bytes). */
export function encode(params: Record<string, string>, charset: Cs = 'utf-8'): string {
  const pe = (s: string) =>
    [...iconv.encode(s, charset)]
      .map((b) =>
        /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : '%' + b.toString(16).toUpperCase().padStart(2, '0'),
      )
      .join('');
  return Object.entries(params)
    .map(([k, v]) => `${pe(k)}=${pe(v)}`)
    .join('&');
}

/** Decode a form string in a charset (`+` = space). */
export function decodeForm(body: string, charset: Cs = 'utf-8'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of body.split('&')) {
    if (!part) continue;
    const [k, v = ''] = part.split('=') as [string, string?];
    const dec = (s: string) => {
      const bytes: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (s[i] === '+') bytes.push(0x20);
        else if (s[i] === '%') {
          bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(s.charCodeAt(i));
      }
      return iconv.decode(Buffer.from(bytes), charset);
    };
    out[dec(k)] = dec(v);
  }
  return out;
}

/** A fresh merchant RSA key pair (PEM). */
export function rsaPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

let sharedKeys: { privateKey: string; publicKey: string } | undefined;
/** The sandbox key pair shared by tests (generation is slow-ish; 2048 bits). */
export function sandboxKeys(): { privateKey: string; publicKey: string } {
  sharedKeys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return sharedKeys;
}

/** A running sandbox on 127.0.0.1:0. */
export interface Running {
  sandbox: Sandbox;
  base: string;
  gateway: string;
  /** GET gateway.do with the params in the query. */
  get(params: Record<string, string>, charset?: Cs): Promise<{ status: number; type: string; text: string }>;
  /** POST gateway.do with a form body (and `_input_charset` in the URL, §1.2a). */
  post(
    params: Record<string, string>,
    charset?: Cs,
    query?: string,
  ): Promise<{ status: number; type: string; text: string }>;
  close(): Promise<void>;
}

/** Start a sandbox with Key A's merchant (plus `options`). */
export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<Running> {
  const clock = T0;
  const sandbox = createSandbox({
    merchants: [{ partner: PARTNER_A, md5Key: KEY_A, name: 'Kaligo test shop' }],
    keyPair: sandboxKeys(),
    now: () => clock,
    ...options,
  });
  const server: Server = sandbox.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gateway = `${base}/gateway.do`;
  const read = async (res: Response) => ({
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  });
  return {
    sandbox,
    base,
    gateway,
    get: async (params, charset = 'utf-8') => read(await fetch(`${gateway}?${encode(params, charset)}`)),
    post: async (params, charset = 'utf-8', query) =>
      read(
        await fetch(`${gateway}${query ?? (params._input_charset ? `?_input_charset=${params._input_charset}` : '')}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: encode(params, charset),
        }),
      ),
    async close() {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** What the merchant's test server received. */
export interface Received {
  method: string;
  path: string;
  query: string;
  raw: Buffer;
  contentType: string;
}

/** A merchant HTTP server recording every request; `respond` decides each answer. */
export async function startMerchant(
  respond: (r: Received, n: number) => { status?: number; body?: string; hang?: boolean } = () => ({ body: 'success' }),
) {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const r: Received = {
        method: req.method ?? '',
        path: q === -1 ? url : url.slice(0, q),
        query: q === -1 ? '' : url.slice(q + 1),
        raw: Buffer.concat(chunks),
        contentType: req.headers['content-type'] ?? '',
      };
      received.push(r);
      const a = respond(r, received.length);
      if (a.hang) return;
      res.writeHead(a.status ?? 200, { 'content-type': 'text/plain' });
      res.end(a.body ?? 'success');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Notification bodies (POSTs) decoded. */
    notifications: (charset: Cs = 'utf-8') =>
      received.filter((r) => r.method === 'POST').map((r) => decodeForm(r.raw.toString('latin1'), charset)),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A signed create_forex_trade URL (Key A). */
export function paymentUrl(gateway: string, extra: Record<string, string> = {}, charset: Cs = 'utf-8'): string {
  const params = signMd5(
    {
      _input_charset: charset === 'gbk' ? 'GBK' : 'UTF-8',
      service: 'create_forex_trade',
      partner: PARTNER_A,
      out_trade_no: 'ORDER-1',
      subject: 'Parcel fee',
      currency: 'USD',
      total_fee: '10.00',
      product_code: 'NEW_OVERSEAS_SELLER',
      ...extra,
    },
    KEY_A,
    charset,
  );
  return `${gateway}?${encode(params, charset)}`;
}

/** Pull `<tag>text</tag>` out of XML (tests only). */
export function xmlTag(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** The leaf children of `<response><obj>` as ordered pairs. */
export function responseChildren(xml: string, obj: string): Array<[string, string]> {
  const inner = new RegExp(`<response><${obj}>(.*)</${obj}></response>`).exec(xml)?.[1] ?? '';
  return [...inner.matchAll(/<([a-z_]+)>([^<]*)<\/\1>/g)].map((m) => [
    m[1]!,
    m[2]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  ]);
}
