// Router options and their startup validation (TypeError naming the option).
import type { Request } from 'express';
import type { GatewayClient } from '../client/create-gateway-client.js';
import type { Ledger, OrderRecord, RefundRecord } from '../ledger/types.js';
import type { Logger } from '../lib/logger.js';

/** The authoritative order the merchant's `resolveOrder` hook returns. The browser never sets the price. */
export interface ResolvedOrder {
  /** Decimal string in `currency` (or in CNY when `rmb` is true). Give this or `amountMinor`. */
  amount?: string;
  /** Integer minor units (cents, yen; CNY fen when `rmb`). */
  amountMinor?: number;
  currency: string;
  subject: string;
  body?: string;
  /** Your own order id; generated when absent. */
  outTradeNo?: string;
  /** Price in CNY (`rmb_fee`), settled in `currency` (§3.5). */
  rmb?: boolean;
  /** Stored with the order (JSON-serialisable). */
  metadata?: unknown;
}

/** `true` allows; `false` or `403` forbids; `401` asks for credentials. */
export type AuthorizeResult = boolean | 401 | 403;

/** Options of {@link alipayRouter}. */
export interface AlipayRouterOptions {
  client: GatewayClient;
  ledger: Ledger;
  /** Reads the request (cart id, session…) and returns the authoritative order. */
  resolveOrder: (req: Request) => ResolvedOrder | Promise<ResolvedOrder>;
  /** HS256 secret for order tokens, at least 32 bytes. */
  tokenSecret: string | Uint8Array;
  /** Absolute URL of this router's `POST /notify` (no query string, §1.4 rule 7). */
  notifyUrl: string;
  /** Absolute URL the browser returns to: this router's `GET /return`, or the page with the widget. */
  returnUrl: string;
  /** Same-origin path `GET /return` redirects to, e.g. `/checkout/result`. */
  returnPage?: string;
  /** Guards `POST /refunds` and `POST /reconcile`. Without it those routes answer 403. */
  authorize?: (req: Request) => AuthorizeResult | Promise<AuthorizeResult>;
  onPaid?: (order: OrderRecord) => void | Promise<void>;
  onRefunded?: (order: OrderRecord, refund: RefundRecord) => void | Promise<void>;
  onClosed?: (order: OrderRecord) => void | Promise<void>;
  /** Call notify_verify for every notification (§7). Default true. */
  notifyVerify?: boolean;
  /** Order token lifetime. Default 3600 s. */
  tokenTtlSeconds?: number;
  /** Actively query the gateway when an order is still pending and older than this (seconds). Off by default. */
  activeQueryAfterSeconds?: number;
  /** A hook claim older than this is considered abandoned (crashed process). Default 300000 ms. */
  hookClaimStaleMs?: number;
  /** Prefix of generated out_trade_no values. Default `AK`. */
  outTradeNoPrefix?: string;
  logger?: Logger;
  now?: () => Date;
}

function fail(name: string, why: string): never {
  throw new TypeError(`alipayRouter: option ${name} ${why}`);
}

function absoluteUrl(name: string, v: unknown): void {
  if (typeof v !== 'string') fail(name, 'must be an absolute URL string');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail(name, 'must be an absolute URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') fail(name, 'must be http(s)');
  if (u.search !== '' || v.includes('?')) fail(name, 'must not carry a query string (protocol §1.4 rule 7)');
}

/** Validate options once, at startup. */
export function _validateOptions(o: AlipayRouterOptions): Uint8Array {
  if (typeof o !== 'object' || o === null) throw new TypeError('alipayRouter: options must be an object');
  if (!o.client || typeof o.client.paymentForm !== 'function' || typeof o.client.verifier?.verify !== 'function') fail('client', 'must come from createGatewayClient()');
  if (!o.ledger || typeof o.ledger.markPaid !== 'function') fail('ledger', 'must implement the Ledger interface');
  if (typeof o.resolveOrder !== 'function') fail('resolveOrder', 'must be a function');
  const secret = typeof o.tokenSecret === 'string' ? new TextEncoder().encode(o.tokenSecret) : o.tokenSecret;
  if (!(secret instanceof Uint8Array) || secret.length < 32) fail('tokenSecret', 'must be at least 32 bytes');
  absoluteUrl('notifyUrl', o.notifyUrl);
  absoluteUrl('returnUrl', o.returnUrl);
  if (o.returnPage !== undefined && (typeof o.returnPage !== 'string' || !/^\/(?![/\\])[^\s?#]*$/.test(o.returnPage))) fail('returnPage', 'must be a same-origin path like /checkout/result');
  for (const k of ['authorize', 'onPaid', 'onRefunded', 'onClosed'] as const) if (o[k] !== undefined && typeof o[k] !== 'function') fail(k, 'must be a function');
  if (o.notifyVerify !== undefined && typeof o.notifyVerify !== 'boolean') fail('notifyVerify', 'must be a boolean');
  for (const k of ['tokenTtlSeconds', 'activeQueryAfterSeconds', 'hookClaimStaleMs'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) fail(k, 'must be a non-negative number');
  }
  if (o.outTradeNoPrefix !== undefined && (typeof o.outTradeNoPrefix !== 'string' || !/^[A-Za-z0-9_-]{0,16}$/.test(o.outTradeNoPrefix))) fail('outTradeNoPrefix', 'must be up to 16 letters, digits, _ or -');
  if (o.logger !== undefined && typeof o.logger?.warn !== 'function') fail('logger', 'must have a warn(message, fields) method');
  if (o.now !== undefined && typeof o.now !== 'function') fail('now', 'must be a function returning a Date');
  return secret;
}
