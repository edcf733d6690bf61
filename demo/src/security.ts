/**
 * Response headers for every page: a strict Content-Security-Policy (no inline script, no inline
 * style), no framing, no MIME sniffing. The only foreign origin the storefront talks to is the
 * gateway, and only by navigation (`form-action` covers the widget's auto-submitted form).
 */
import type { NextFunction, Request, Response } from 'express';
import { clientAddress } from './client-address.js';

export function securityHeaders(gatewayOrigin: string | undefined) {
  const formAction = ["'self'", gatewayOrigin].filter(Boolean).join(' ');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  return function demoSecurityHeaders(_req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  };
}

/** Stable code of the 403 a cross-site admin POST gets. */
export const CROSS_SITE_CODE = 'ERR_CROSS_SITE';

/** The state-changing requests only the admin's own pages may send. */
export function isAdminWrite(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false;
  const p = req.path;
  return p === '/admin' || p.startsWith('/admin/') || p === '/api/alipay/refunds' || p === '/api/alipay/reconcile';
}

/**
 * Why a request is not same-origin, or `undefined` when it is. A browser marks every POST with
 * `Origin` (and, in current browsers, `Sec-Fetch-Site`): `Sec-Fetch-Site` must be `same-origin`
 * and `Origin` must be the shop's own origin (`publicUrl`, or the origin the request was sent
 * to). A caller that sends neither header is not a browser, so it cannot be a forged cross-site
 * request; it still needs the session cookie and the custom header.
 */
export function crossSiteReason(req: Request, publicOrigin: string): 'sec-fetch-site' | 'origin' | undefined {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return 'sec-fetch-site';
  const origin = req.get('origin');
  if (origin === undefined) return undefined;
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  return origin === publicOrigin || origin === own ? undefined : 'origin';
}

/**
 * Middleware: every admin POST (login, logout, the admin API, the router's refunds and
 * reconciliation) from another site gets 403 `ERR_CROSS_SITE` before anything else runs. This is
 * on top of the SameSite=Strict cookie and the `x-admin-request` header.
 *
 * @example
 * ```ts
 * app.use(sameOriginAdminWrites('https://shop.example.com', log))
 * ```
 */
export function sameOriginAdminWrites(publicUrl: string, log: (line: string) => void) {
  const publicOrigin = new URL(publicUrl).origin;
  return function demoSameOrigin(req: Request, res: Response, next: NextFunction): void {
    if (!isAdminWrite(req)) return next();
    const reason = crossSiteReason(req, publicOrigin);
    if (!reason) return next();
    log(`admin: cross-site ${req.method} refused (${reason}) from ${clientAddress(req) ?? 'an unknown address'}`);
    res.status(403).json({
      error: { code: CROSS_SITE_CODE, message: "Admin changes are accepted only from the shop's own pages." },
    });
  };
}
