/**
 * Who is calling: the client's IP address as Express resolved it (`req.ip`, which follows
 * `X-Forwarded-For` only through the proxies `TRUST_PROXY` names), accepted only when it parses
 * as an IP address. Anything else — a forged header Express passed through, a missing socket —
 * is `undefined`, so neither the login throttle nor a log line ever holds raw header text.
 */
import { isIP } from 'node:net';
import type { Request } from 'express';

/** Express's `trust proxy` setting as the demo accepts it: off, a hop count, or addresses/subnets/names. */
export type TrustProxySetting = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A configuration value the demo refuses, with a stable code. */
export class TrustProxyError extends Error {
  readonly code = 'ERR_TRUST_PROXY';
  constructor(message: string) {
    super(message);
    this.name = 'TrustProxyError';
  }
}

function isAddressOrSubnet(entry: string): boolean {
  const slash = entry.indexOf('/');
  const addr = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIP(addr);
  if (!family) return false;
  if (slash < 0) return true;
  const bits = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Parse `TRUST_PROXY`: unset, empty or `false` = trust no proxy (clients connect directly); a
 * whole number = that many proxy hops in front of the shop; otherwise a comma-separated list of
 * addresses, CIDR subnets or Express's names `loopback`, `linklocal`, `uniquelocal`. `true`
 * (trust every hop) is refused: anyone could then choose their own address.
 *
 * @example
 * ```ts
 * parseTrustProxy('1')                 // 1
 * parseTrustProxy('loopback, 10.0.0.0/8') // ['loopback', '10.0.0.0/8']
 * parseTrustProxy(undefined)           // false
 * ```
 */
export function parseTrustProxy(value: string | undefined): TrustProxySetting {
  const v = (value ?? '').trim();
  if (v === '' || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true')
    throw new TrustProxyError(
      'TRUST_PROXY=true would trust any X-Forwarded-For: give the number of proxies in front of the shop or their addresses',
    );
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 32) throw new TrustProxyError('TRUST_PROXY hop count must be between 0 and 32');
    return n === 0 ? false : n;
  }
  const entries = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of entries) {
    if (!PROXY_NAMES.has(e) && !isAddressOrSubnet(e))
      throw new TrustProxyError(
        `TRUST_PROXY: ${JSON.stringify(e.slice(0, 64))} is not an address, a subnet, loopback, linklocal or uniquelocal`,
      );
  }
  return entries.length ? entries : false;
}

/**
 * The caller's address, validated: `req.ip` when it is an IPv4 or IPv6 address (IPv4-mapped IPv6
 * shown as IPv4), else `undefined`. Safe to log and to key on.
 *
 * @example
 * ```ts
 * log(`failed login from ${clientAddress(req) ?? 'an unknown address'}`)
 * ```
 */
export function clientAddress(req: Request): string | undefined {
  const raw = req.ip ?? req.socket?.remoteAddress;
  if (typeof raw !== 'string' || raw.length > 64) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(raw);
  const addr = mapped ? mapped[1]! : raw;
  return isIP(addr) ? addr.toLowerCase() : undefined;
}

/**
 * The key the login throttle counts under: an IPv4 address, or the /64 network of an IPv6 one
 * (one host usually owns a whole /64, so counting single IPv6 addresses is no limit at all).
 *
 * @example
 * ```ts
 * throttleKey('2001:db8:1:2:3:4:5:6') // '2001:db8:1:2::/64'
 * ```
 */
export function throttleKey(address: string | undefined): string {
  if (!address) return 'unknown';
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, '') || '0')
    .join(':')}::/64`;
}
