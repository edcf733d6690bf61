/**
 * Cashier routes: `GET /cashier/:id` and the plain POST forms `/cashier/:id/{login,pay,cancel,timeout}`.
 *
 * @module
 */
import { Router } from 'express';
import type { SandboxContext } from '../context.js';
import { cancel, expiredLink, loadSession, login, pay, sessionTrade, timeOut } from './flow.js';
import { cashierPage, errorPage, merchantLink, resultPage } from './page.js';

function sendHtml(res: import('express').Response, body: string, status = 200): void {
  res.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
  res.end(body);
}

/** Build the cashier router. */
export function cashierRouter(ctx: SandboxContext): Router {
  const r = Router();
  const merchantName = (partner: string) => ctx.merchants.get(partner)?.name ?? partner;

  r.get('/cashier/:id', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const trade = sessionTrade(ctx, s);
    // §3.6: past the order_gmt_create + order_valid_time window a link without a trade is dead.
    const expired = trade ? undefined : expiredLink(ctx, s);
    if (expired) return sendHtml(res, errorPage(expired.code, expired.detail));
    sendHtml(res, cashierPage({ base: ctx.publicBaseUrl, sessionId: s.session.id, merchantName: merchantName(s.order.partner), order: s.order, trade }));
  });

  r.post('/cashier/:id/login', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const out = login(ctx, s);
    if (!out.ok) return sendHtml(res, errorPage(out.code, out.detail));
    res.redirect(303, `${ctx.publicBaseUrl}/cashier/${encodeURIComponent(s.session.id)}`);
  });

  r.post('/cashier/:id/pay', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const out = pay(ctx, s);
    if (!out.ok) return sendHtml(res, errorPage(out.code, out.detail));
    // §3.8: a 302 to return_url with the signed parameters; without return_url, a result page.
    if (out.returnUrl) {
      res.status(302).setHeader('Location', out.returnUrl);
      return res.end();
    }
    const back = merchantLink(s.order);
    sendHtml(res, resultPage('Payment successful', `Trade ${out.trade.trade_no} is TRADE_FINISHED.`, back ? { href: back, label: 'Back to the merchant' } : undefined));
  });

  r.post('/cashier/:id/cancel', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    cancel(ctx, s);
    // The document returns the browser only after success (§3.8), so cancelling shows a page.
    const back = merchantLink(s.order);
    sendHtml(res, resultPage('Payment cancelled', 'You cancelled the payment. Nothing was charged.', back ? { href: back, label: 'Back to the merchant' } : undefined));
  });

  r.post('/cashier/:id/timeout', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const out = timeOut(ctx, s);
    if (!out.ok) return sendHtml(res, errorPage(out.code, out.detail));
    const back = merchantLink(s.order);
    sendHtml(res, resultPage('Payment timed out', `Trade ${out.trade.trade_no} is ${out.trade.status}.`, back ? { href: back, label: 'Back to the merchant' } : undefined));
  });
  return r;
}
