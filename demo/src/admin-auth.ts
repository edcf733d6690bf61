/**
 * Admin sessions: one shared password (`ADMIN_PASSWORD`), a signed, HttpOnly, SameSite=Strict
 * cookie, and a custom header required on every state-changing admin call (CSRF: a cross-site
 * form cannot set it, and the cookie is not sent cross-site anyway).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const SESSION_COOKIE = 'll_admin';
/** Header the admin front end sends on POSTs; checked together with the cookie. */
export const CSRF_HEADER = 'x-admin-request';
const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export interface AdminAuth {
  /** Constant-time password check. */
  checkPassword(candidate: unknown): boolean;
  /** A cookie value for a fresh session. */
  issue(now?: number): string;
  /** True when `req` carries a valid session cookie. */
  isAdmin(req: Request): boolean;
  /** Sets the session cookie. */
  setCookie(req: Request, res: Response): void;
  clearCookie(res: Response): void;
  /** For JSON APIs: 401 without a session, 403 for a POST without the CSRF header. */
  requireApi(req: Request, res: Response, next: NextFunction): void;
  /** For admin pages: redirect to the login page without a session. */
  requirePage(req: Request, res: Response, next: NextFunction): void;
  /** Too many failed attempts from this address recently. */
  throttled(req: Request): boolean;
  recordFailure(req: Request): void;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k) out[k] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function createAdminAuth(password: string, secret: string, now: () => number = Date.now): AdminAuth {
  if (!password) throw new TypeError('createAdminAuth: password must be a non-empty string');
  const want = digest(password);
  // Bind sessions to the password too: changing ADMIN_PASSWORD logs everyone out.
  const key = createHmac('sha256', secret).update('admin-session\0').update(want).digest();
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  const failures = new Map<string, { n: number; since: number }>();

  const valid = (value: string | undefined): boolean => {
    if (!value) return false;
    const [exp, sig] = value.split('.');
    if (!exp || !sig || !/^\d+$/.test(exp)) return false;
    const good = Buffer.from(mac(exp));
    const got = Buffer.from(sig);
    if (good.length !== got.length || !timingSafeEqual(good, got)) return false;
    return Number(exp) > now();
  };

  const auth: AdminAuth = {
    checkPassword(candidate) {
      if (typeof candidate !== 'string' || candidate.length > 1024) return false;
      return timingSafeEqual(digest(candidate), want);
    },
    issue(at = now()) {
      const exp = String(at + SESSION_TTL_MS);
      return `${exp}.${mac(exp)}`;
    },
    isAdmin(req) {
      return valid(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    },
    setCookie(req, res) {
      res.cookie(SESSION_COOKIE, auth.issue(), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: SESSION_TTL_MS });
    },
    clearCookie(res) {
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
    requireApi(req, res, next) {
      if (!auth.isAdmin(req)) {
        res.status(401).json({ error: { code: 'ERR_UNAUTHORIZED', message: 'Log in to the admin first.' } });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.get(CSRF_HEADER) !== '1') {
        res.status(403).json({ error: { code: 'ERR_CSRF', message: `Missing ${CSRF_HEADER} header.` } });
        return;
      }
      next();
    },
    requirePage(req, res, next) {
      if (auth.isAdmin(req)) return next();
      res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl.startsWith('/admin') ? req.originalUrl : '/admin')}`);
    },
    throttled(req) {
      const f = failures.get(req.ip ?? '');
      if (!f) return false;
      if (now() - f.since > 15 * 60 * 1000) {
        failures.delete(req.ip ?? '');
        return false;
      }
      return f.n >= 10;
    },
    recordFailure(req) {
      const k = req.ip ?? '';
      const f = failures.get(k);
      if (!f || now() - f.since > 15 * 60 * 1000) failures.set(k, { n: 1, since: now() });
      else f.n += 1;
      if (failures.size > 10_000) failures.clear();
    },
  };
  return auth;
}
