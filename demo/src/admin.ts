/**
 * The admin: a small JSON API over the {@link ShopBackend}
 * (`/admin/api/orders`, `/refunds`, `/rejections`, reconciliation, rates). Refunds themselves are
 * sent through the kit's router (`POST /api/alipay/refunds`), behind the same session.
 */
import { checkFileDateRange } from '@alipay-kit/core';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AdminAuth } from './admin-auth.js';
import type { AdminInfo } from './admin-types.js';
import { DemoError, type ShopBackend } from './backend.js';

export interface AdminOptions {
  auth: AdminAuth;
  backend: ShopBackend;
  info: AdminInfo;
  log: (line: string) => void;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function adminRouter({ auth, backend, info, log }: AdminOptions): Router {
  const router = express.Router();
  const json = express.json({ limit: '16kb' });

  // POST /admin/login and /admin/logout: admin-login.ts.
  const api = express.Router();
  api.use(auth.requireApi);
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  api.get('/info', (_req, res) => {
    res.json(info);
  });

  api.get('/orders', async (_req, res) => {
    res.json({ orders: await backend.orders() });
  });

  api.get('/orders/:no', async (req, res) => {
    const order = await backend.order(String(req.params.no));
    if (!order) throw new DemoError(404, 'ERR_ORDER_NOT_FOUND', 'No such order.');
    res.json(order);
  });

  api.get('/refunds', async (_req, res) => {
    res.json({ refunds: await backend.refunds() });
  });

  api.get('/rejections', async (_req, res) => {
    res.json(await backend.rejections());
  });

  /** The last day the gateway has a file for, and the longest period (§8.2): the date picker's limits. */
  api.get('/reconcile/limits', (_req, res) => {
    res.json({ today: backend.gatewayToday(), maxDays: 10 });
  });

  api.post('/reconcile', json, async (req, res) => {
    const from = req.body?.from;
    const to = req.body?.to;
    if (typeof from !== 'string' || typeof to !== 'string' || !DATE.test(from) || !DATE.test(to))
      throw new DemoError(400, 'ERR_INVALID_DATE', 'from and to must be YYYY-MM-DD dates.');
    // Core's §8.2 rule, with the gateway's today: a period it would refuse is not sent.
    const range = checkFileDateRange(from.replace(/-/g, ''), to.replace(/-/g, ''), { today: backend.gatewayToday() });
    if (!range.ok) throw new DemoError(400, 'ERR_INVALID_DATE', range.sentence);
    res.json(await backend.reconcile(from, to));
  });

  api.get('/rates', async (_req, res) => {
    res.json(await backend.rates());
  });

  api.use((_req, res) => {
    res.status(404).json({ error: { code: 'ERR_NOT_FOUND', message: 'No such admin endpoint.' } });
  });

  api.use(function adminApiError(err: unknown, _req: Request, res: Response, _next: NextFunction) {
    sendJsonError(res, err, log);
  });

  router.use('/admin/api', api);
  return router;
}

/**
 * Send an error as `{ error: { code, message } }`. Demo errors and the kit's typed errors
 * (`AlipayError`: stable `code`, gateway code kept verbatim, messages free of secrets) are shown
 * to the admin; anything else is logged and answered with a generic 500.
 */
export function sendJsonError(res: Response, err: unknown, log: (line: string) => void): void {
  if (err instanceof DemoError) {
    res.status(err.status).json({ error: { code: err.code, message: err.message } });
    return;
  }
  const e = err as
    { name?: string; code?: unknown; gatewayCode?: unknown; status?: unknown; message?: unknown } | undefined;
  if (e && typeof e.code === 'string' && /^(ERR_|[A-Z_]+$)/.test(e.code) && typeof e.message === 'string') {
    const gateway = typeof e.gatewayCode === 'string' ? e.gatewayCode : undefined;
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : gateway ? 502 : 400;
    res.status(status).json({ error: { code: gateway ?? e.code, message: e.message } });
    return;
  }
  // body-parser and serve-static errors carry an HTTP status meant for the client (bad JSON, too large, not found).
  const httpStatus = (err as { status?: unknown; expose?: unknown } | undefined)?.status;
  if (typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) {
    res.status(httpStatus).json({
      error: {
        code: httpStatus === 404 ? 'ERR_NOT_FOUND' : 'ERR_INVALID_PARAMS',
        message: httpStatus === 404 ? 'Not found.' : 'The request body could not be read.',
      },
    });
    return;
  }
  log(`admin: unexpected error: ${e?.name ?? 'Error'}: ${typeof e?.message === 'string' ? e.message : String(err)}`);
  res.status(500).json({ error: { code: 'ERR_INTERNAL', message: 'Something went wrong; see the server log.' } });
}
