/**
 * Safe to leave running on a developer's machine (issue 13): every answer carries a
 * Content-Security-Policy that forbids framing and any script, `nosniff` and a Referrer-Policy;
 * every state-changing request to the sandbox's own pages and control API (`/_sandbox/*`,
 * `/cashier/*`) is refused when a browser sends it from another origin, a form on another
 * local port included (same-site is not enough: ports differ, sites do not).
 *
 * `gateway.do` is not guarded: §1.2a has the merchant's own page auto-submit a form to the
 * gateway, cross-origin by design, and the wire format stays as the document describes it.
 * Clients that send no `Origin` and no `Sec-Fetch-Site` (server-to-server code, the official
 * Java/PHP demos, curl) are not browsers and are let through.
 *
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { STYLE_HASH } from '../lib/html.js';

/**
 * The policy of every sandbox page: no script at all, the one inline stylesheet by hash,
 * images (the favicon) from the sandbox, forms posted anywhere (the cashier's pay button ends in
 * a 302 to the merchant's return_url, §3.8), never framed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src '${STYLE_HASH}'`,
  "img-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The security headers as `[name, value, name, value, …]`, the flat form `res.writeHead` takes:
 * the gateway writes them in one `writeHead` with its own (see gateway/result.ts), the
 * {@link securityHeaders} middleware sets them one by one on every other answer.
 */
export const SECURITY_HEADERS: readonly string[] = Object.freeze([
  'Content-Security-Policy',
  CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options',
  'nosniff',
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the
  // cashier's own form POSTs; the merchant (return_url, refer_url) still gets no Referer.
  'Referrer-Policy',
  'same-origin',
  'X-Frame-Options',
  'DENY',
]);

/** Headers on every answer (harmless on XML and text, required on pages). */
export function securityHeaders(): RequestHandler {
  return function sandboxSecurityHeaders(_req: Request, res: Response, next: NextFunction) {
    for (let i = 0; i < SECURITY_HEADERS.length; i += 2) res.setHeader(SECURITY_HEADERS[i]!, SECURITY_HEADERS[i + 1]!);
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const GUARDED = /^\/(_sandbox|cashier)(\/|$)/;

function originOf(url: string): string | undefined {
  try {
    const o = new URL(url).origin;
    return o === 'null' ? undefined : o;
  } catch {
    return undefined;
  }
}

/**
 * Why a request must be refused, or `undefined` when it may go on. `Origin` decides when a
 * browser sends it (it must be the sandbox's own origin: the Host it was reached at, or
 * `publicBaseUrl`); `Origin: null` passes only with `Sec-Fetch-Site: same-origin`; without
 * `Origin`, `Sec-Fetch-Site` must be `same-origin` or `none`; with neither, it is no browser.
 *
 * @example
 * ```ts
 * crossOriginProblem({ method: 'POST', path: '/_sandbox/clock/advance', origin: 'http://127.0.0.1:3000', fetchSite: 'same-site', ownOrigins: ['http://127.0.0.1:4010'] })
 * // 'Origin http://127.0.0.1:3000 is not this sandbox'
 * ```
 */
export function crossOriginProblem(r: {
  method: string;
  path: string;
  origin: string | undefined;
  fetchSite: string | undefined;
  ownOrigins: string[];
}): string | undefined {
  if (SAFE_METHODS.has(r.method) || !GUARDED.test(r.path)) return undefined;
  if (r.origin !== undefined && r.origin !== 'null')
    return r.ownOrigins.includes(r.origin) ? undefined : `Origin ${r.origin} is not this sandbox`;
  // An opaque `Origin: null` (privacy settings, sandboxed frames) decides nothing by itself:
  // only the browser's own Sec-Fetch-Site can vouch for it.
  if (r.origin === 'null' && r.fetchSite !== 'same-origin')
    return 'an opaque (null) Origin without Sec-Fetch-Site: same-origin';
  if (r.fetchSite !== undefined && r.fetchSite !== 'same-origin' && r.fetchSite !== 'none')
    return `Sec-Fetch-Site: ${r.fetchSite}`;
  return undefined;
}

/** Refuse cross-origin state-changing requests with HTTP 403 (see {@link crossOriginProblem}). */
export function sameOriginOnly(publicBaseUrl: string): RequestHandler {
  const configured = publicBaseUrl ? originOf(publicBaseUrl) : undefined;
  return function sandboxSameOriginOnly(req: Request, res: Response, next: NextFunction) {
    const own = [`${req.protocol}://${req.headers.host ?? ''}`];
    if (configured) own.push(configured);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const site = req.headers['sec-fetch-site'];
    const problem = crossOriginProblem({
      method: req.method,
      path: req.path,
      origin,
      fetchSite: typeof site === 'string' ? site : undefined,
      ownOrigins: own,
    });
    if (problem === undefined) return next();
    res.status(403).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store');
    res.end(
      `403 Forbidden: cross-origin request refused (${problem}). The sandbox changes state only for its own pages and for clients that send no Origin.`,
    );
  };
}
