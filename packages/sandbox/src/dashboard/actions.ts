/**
 * The dashboard's form actions. Each POST answers 303 back to the dashboard with a notice saying
 * what it did (post/redirect/get: Back and Reload never re-submit). Cross-origin posts never get
 * here (http/security.ts).
 *
 * @module
 */
import express, { Router, type Response } from 'express';
import type { SandboxControl } from '../types.js';
import { faultsFromForm, scopeFromForm } from './fault-form.js';
import { noticeQuery } from './notice.js';

const DASHBOARD = '/_sandbox/dashboard';

/** Build the router of `/_sandbox/dashboard/*` form actions. */
export function dashboardActions(control: SandboxControl): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const done = (res: Response, kind: string, params?: Record<string, string | number>) =>
    res.redirect(303, DASHBOARD + noticeQuery(kind, params));

  r.post('/_sandbox/dashboard/advance', form, async (req, res) => {
    const ms = Number((req.body as Record<string, string>).ms);
    if (!(Number.isSafeInteger(ms) && ms > 0)) return res.redirect(303, DASHBOARD);
    await control.advanceClock(ms);
    done(res, 'advance', { by: ms });
  });
  r.post('/_sandbox/dashboard/flush', async (_req, res) => {
    await control.flushNotifications();
    done(res, 'flush');
  });
  r.post('/_sandbox/dashboard/settle', (_req, res) => {
    done(res, 'settle', { n: control.settle() });
  });
  r.post('/_sandbox/dashboard/clear-faults', form, (req, res) => {
    const scope = scopeFromForm((req.body ?? {}) as Record<string, unknown>);
    control.clearFaults(scope);
    done(
      res,
      'faults-cleared',
      scope
        ? { ...(scope.partner ? { partner: scope.partner } : {}), ...(scope.service ? { service: scope.service } : {}) }
        : { all: 1 },
    );
  });
  r.post('/_sandbox/dashboard/faults', form, (req, res) => {
    try {
      const { scope, faults } = faultsFromForm((req.body ?? {}) as Record<string, unknown>);
      control.setFaults(scope, faults);
      done(res, 'faults-set', {
        ...(scope?.partner ? { partner: scope.partner } : {}),
        ...(scope?.service ? { service: scope.service } : {}),
      });
    } catch (e) {
      // Back to the dashboard like every other action, naming the field (the notice only shows
      // checked values, so the flag name travels, not the message).
      const flag = /--[a-z0-9-]{1,40}/.exec(e instanceof Error ? e.message : String(e))?.[0];
      done(res, 'faults-invalid', flag ? { flag } : {});
    }
  });
  r.post('/_sandbox/dashboard/refund-outcome', form, (req, res) => {
    const b = req.body as Record<string, string>;
    const before = control.refunds().find((x) => x.out_return_no === b.out_return_no);
    try {
      control.setRefundOutcome(b.out_return_no ?? '', b.outcome as 'REFUND_SUCCESS');
    } catch {
      return done(res, 'unchanged');
    }
    const after = control.refunds().find((x) => x.out_return_no === b.out_return_no);
    // An acknowledged refund is never rewritten: say so rather than claim a change.
    if (before && after && after.refund_status !== b.outcome) return done(res, 'unchanged');
    done(res, 'refund-outcome', { id: b.out_return_no ?? '', outcome: b.outcome ?? '' });
  });
  r.post('/_sandbox/dashboard/secmerchant-status', form, (req, res) => {
    const b = req.body as Record<string, string>;
    try {
      control.setSecmerchantStatus(b.partner ?? '', b.id ?? '', b.status as 'SUCCESS');
    } catch {
      return done(res, 'unchanged');
    }
    done(res, 'secmerchant', { id: b.id ?? '', status: b.status ?? '' });
  });
  return r;
}
