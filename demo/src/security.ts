/**
 * Response headers for every page: a strict Content-Security-Policy (no inline script, no inline
 * style), no framing, no MIME sniffing. The only foreign origin the storefront talks to is the
 * gateway, and only by navigation (`form-action` covers the widget's auto-submitted form).
 */
import type { NextFunction, Request, Response } from 'express';

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
