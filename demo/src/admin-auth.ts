/**
 * Admin sessions: one shared password (`ADMIN_PASSWORD`), a jose-signed, HttpOnly,
 * SameSite=Strict cookie naming a server-side session (see {@link createSessionStore}: 8 h
 * absolute, 30 min idle, revoked by logout), and a custom header required on every
 * state-changing admin call (a cross-site form cannot set it). The `Origin` / `Sec-Fetch-Site`
 * check is `sameOriginAdminWrites` in security.ts; login and logout are in admin-login.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createSessionStore, type SessionStore } from './admin-session.js';
import { createLoginThrottle, type LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';

export const SESSION_COOKIE = 'll_admin';
/** Header the admin front end sends on POSTs; checked together with the cookie. */
export const CSRF_HEADER = 'x-admin-request';

export interface AdminAuthOptions {
  password: string;
  /** The demo's TOKEN_SECRET (≥ 32 characters); the session key is derived from it. */
  secret: string;
  /** Clock of sessions and the login throttle (ms). Tests move it. */
  now?: () => number;
  /** Idle timeout (ms). Default 30 minutes. */
  idleMs?: number;
  /** Absolute session lifetime (ms). Default 8 hours. */
  absoluteMs?: number;
  throttle?: Omit<LoginThrottleOptions, 'now'>;
}

export interface AdminAuth {
  /** Constant-time password check. */
  checkPassword(candidate: unknown): boolean;
  /** Middleware, mounted before every route: reads and checks the session cookie once per request. */
  session(req: Request, res: Response, next: NextFunction): void;
  /** True when `req` carries a live session (after {@link AdminAuth.session} ran). */
  isAdmin(req: Request): boolean;
  /** The live session's id, for logout. */
  sessionId(req: Request): string | undefined;
  /** Starts a session and sets its cookie. */
  startSession(req: Request, res: Response): Promise<void>;
  /** Revokes the request's session (a copy of the cookie stops working) and clears the cookie. */
  endSession(req: Request, res: Response): void;
  /** For JSON APIs: 401 without a session, 403 for a POST without the CSRF header. */
  requireApi(req: Request, res: Response, next: NextFunction): void;
  /** For admin pages: redirect to the login page without a session. */
  requirePage(req: Request, res: Response, next: NextFunction): void;
  readonly throttle: LoginThrottle;
  readonly sessions: SessionStore;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== name) continue;
    return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * @example
 * ```ts
 * const auth = createAdminAuth({ password: process.env.ADMIN_PASSWORD!, secret: process.env.TOKEN_SECRET! })
 * app.use(auth.session)
 * app.get('/admin', auth.requirePage, sendAdminPage)
 * ```
 */
export function createAdminAuth(options: AdminAuthOptions): AdminAuth {
  if (!options.password) throw new TypeError('createAdminAuth: password must be a non-empty string');
  const now = options.now ?? Date.now;
  const want = createHash('sha256').update(options.password, 'utf8').digest();
  const sessions = createSessionStore({
    secret: options.secret,
    password: options.password,
    now,
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    ...(options.absoluteMs !== undefined ? { absoluteMs: options.absoluteMs } : {}),
  });
  const throttle = createLoginThrottle({ ...options.throttle, now });
  const live = new WeakMap<Request, string>();

  const auth: AdminAuth = {
    checkPassword(candidate) {
      if (typeof candidate !== 'string' || candidate.length > 1024) return false;
      return timingSafeEqual(createHash('sha256').update(candidate, 'utf8').digest(), want);
    },
    session(req, _res, next) {
      const token = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (!token) return next();
      sessions.verify(token).then((id) => {
        if (id) live.set(req, id);
        next();
      }, next);
    },
    isAdmin(req) {
      return live.has(req);
    },
    sessionId(req) {
      return live.get(req);
    },
    async startSession(req, res) {
      const { token, maxAgeMs } = await sessions.issue();
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: '/',
        maxAge: maxAgeMs,
        encode: String,
      });
    },
    endSession(req, res) {
      const id = live.get(req);
      if (id) sessions.revoke(id);
      live.delete(req);
      res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
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
      res.redirect(
        303,
        `/admin/login?next=${encodeURIComponent(req.originalUrl.startsWith('/admin') ? req.originalUrl : '/admin')}`,
      );
    },
    throttle,
    sessions,
  };
  return auth;
}
