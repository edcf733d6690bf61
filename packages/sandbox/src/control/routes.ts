/**
 * Control over HTTP: JSON under `/_sandbox/*`, the dashboard's form actions, the dashboard at
 * `GET /` and `/_sandbox/dashboard`, and `GET /.well-known/alipay-public-key`.
 *
 * @module
 */
import express, { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context.js';
import { dashboardActions } from '../dashboard/actions.js';
import { noticeFromQuery } from '../dashboard/notice.js';
import { dashboardPage } from '../dashboard/page.js';
import type { FaultConfig, FaultScope, NotificationFilter, SandboxControl } from '../types.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fail(res: Response, err: unknown): void {
  res.status(400).json({ error: err instanceof Error ? err.message : String(err) });
}

/** Build the control router. */
export function controlRouter(ctx: SandboxContext, control: SandboxControl): Router {
  const r = Router();
  const json = express.json({ limit: '256kb' });

  r.get('/.well-known/alipay-public-key', (_req, res) => {
    res.type('text/plain; charset=utf-8').send(control.publicKey);
  });
  r.get('/.well-known/alipay-dsa-public-key', (_req, res) => {
    res.type('text/plain; charset=utf-8').send(control.dsaPublicKey());
  });

  const dashboard = (req: Request, res: Response) => {
    res
      .type('text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .send(
        dashboardPage({
          now: control.now(),
          merchants: [...ctx.merchants.values()].map((m) => ({ partner: m.config.partner, name: m.name })),
          trades: control.trades(),
          refunds: control.refunds(),
          notifications: control.notifications(),
          secmerchants: control.secmerchants(),
          faults: ctx.faults.list(),
          notice: noticeFromQuery(req.query as Record<string, unknown>),
        }),
      );
  };
  r.get('/', dashboard);
  r.get('/_sandbox/dashboard', dashboard);

  // JSON API
  r.get('/_sandbox/clock', (_req, res) => res.json({ now: control.now() }));
  r.post('/_sandbox/clock/advance', json, async (req, res) => {
    const ms = Number((req.body as { ms?: unknown } | undefined)?.ms);
    if (!Number.isFinite(ms) || ms < 0) return fail(res, new RangeError('ms must be a non-negative number'));
    await control.advanceClock(ms);
    res.json({ now: control.now() });
  });
  r.get('/_sandbox/faults', (_req, res) => res.json(ctx.faults.list()));
  r.post('/_sandbox/faults', json, (req, res) => {
    const body = (req.body ?? {}) as { scope?: FaultScope; faults?: FaultConfig } & FaultConfig;
    try {
      const faults = body.faults ?? (({ scope: _s, ...rest }) => rest)(body);
      control.setFaults(body.scope, faults as FaultConfig);
      res.json(ctx.faults.list());
    } catch (e) {
      fail(res, e);
    }
  });
  // DELETE /_sandbox/faults clears every fault; with ?partner= and/or ?service= only that scope's entry.
  r.delete('/_sandbox/faults', (req, res) => {
    const partner = str(req.query.partner);
    const service = str(req.query.service);
    control.clearFaults(
      partner === undefined && service === undefined
        ? undefined
        : { ...(partner ? { partner } : {}), ...(service ? { service } : {}) },
    );
    res.json(ctx.faults.list());
  });
  r.get('/_sandbox/trades', (req, res) => res.json(control.trades(str(req.query.partner))));
  r.get('/_sandbox/refunds', (req, res) => res.json(control.refunds(str(req.query.partner))));
  r.get('/_sandbox/snapshot', (req, res) => res.json(control.snapshot(str(req.query.partner))));
  r.get('/_sandbox/secmerchants', (req, res) => res.json(control.secmerchants(str(req.query.partner))));
  r.get('/_sandbox/notifications', (req, res) => {
    const f: NotificationFilter = {};
    for (const k of ['partner', 'out_trade_no', 'out_return_no', 'notify_type', 'state'] as const) {
      const v = str(req.query[k]);
      if (v !== undefined) (f as Record<string, string>)[k] = v;
    }
    res.json(control.notifications(f));
  });
  r.post('/_sandbox/notifications/flush', async (_req, res) => {
    await control.flushNotifications();
    res.json({ ok: true });
  });
  r.post('/_sandbox/refunds/:outReturnNo/outcome', json, (req, res) => {
    const b = (req.body ?? {}) as { outcome?: string; error_code?: string };
    try {
      control.setRefundOutcome(req.params.outReturnNo as string, b.outcome as 'REFUND_SUCCESS', b.error_code);
      res.json({ ok: true });
    } catch (e) {
      fail(res, e);
    }
  });
  r.post('/_sandbox/secmerchants/:partner/:id/status', json, (req, res) => {
    const b = (req.body ?? {}) as { status?: string; reject_reason?: string };
    try {
      control.setSecmerchantStatus(
        req.params.partner as string,
        req.params.id as string,
        b.status as 'SUCCESS',
        b.reject_reason,
      );
      res.json({ ok: true });
    } catch (e) {
      fail(res, e);
    }
  });
  r.post('/_sandbox/settle', json, (req, res) => {
    const b = (req.body ?? {}) as { partner?: string };
    res.json({ settled: control.settle(b.partner ? { partner: b.partner } : {}) });
  });
  r.post('/_sandbox/simulate', json, async (req, res) => {
    const b = (req.body ?? {}) as { url?: string; action?: 'pay' | 'cancel' | 'timeout' | 'login' };
    if (typeof b.url !== 'string') return fail(res, new TypeError('url is required'));
    res.json(await control.simulatePayment(b.url, b.action ? { action: b.action } : {}));
  });

  r.use(dashboardActions(control));
  return r;
}
