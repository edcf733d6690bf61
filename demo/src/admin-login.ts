/**
 * `POST /admin/login` and `POST /admin/logout`. Both are same-origin only (security.ts checks
 * `Origin` / `Sec-Fetch-Site` first). Login is throttled per validated client address and
 * globally; logout revokes the session server-side. Log lines carry only validated addresses.
 */
import express, { type Router } from 'express';
import type { AdminAuth } from './admin-auth.js';
import { clientAddress, throttleKey } from './client-address.js';

/** Where to go after login: an admin path only (no open redirect). */
export function safeNext(v: unknown): string {
  return typeof v === 'string' && v.startsWith('/admin') && !v.startsWith('//') && !v.includes('\\') ? v : '/admin';
}

/**
 * @example
 * ```ts
 * app.use(adminLoginRouter({ auth, log }))
 * ```
 */
export function adminLoginRouter({ auth, log }: { auth: AdminAuth; log: (line: string) => void }): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.post('/admin/login', form, async function adminLogin(req, res) {
    const next = safeNext(req.body?.next);
    const address = clientAddress(req);
    const key = throttleKey(address);
    const refused = auth.throttle.refused(key);
    if (refused) {
      log(`admin: login throttled (${refused}) for ${address ?? 'an unknown address'}`);
      res.redirect(303, `/admin/login?error=throttled&next=${encodeURIComponent(next)}`);
      return;
    }
    if (!auth.checkPassword(req.body?.password)) {
      auth.throttle.recordFailure(key);
      log(`admin: failed login from ${address ?? 'an unknown address'}`);
      res.redirect(303, `/admin/login?error=1&next=${encodeURIComponent(next)}`);
      return;
    }
    await auth.startSession(req, res);
    res.redirect(303, next);
  });

  router.post('/admin/logout', function adminLogout(req, res) {
    auth.endSession(req, res);
    res.redirect(303, '/admin/login');
  });

  return router;
}
