/**
 * Cashier routes: `GET /cashier/:id`, the plain POST forms `/cashier/:id/{login,pay,cancel,timeout}`
 * and `GET /cashier/:id/result`. Every POST answers with a redirect (post/redirect/get), so Back
 * and Reload never re-submit a form: `303` to the cashier or to the result page, or, after a
 * successful payment with a `return_url`, the §3.8 `302` to the merchant.
 *
 * @module
 */
import { Router, type Response } from 'express';
import type { SandboxContext } from '../context.js';
import { TRADE_CLOSED_CODE } from '../services/link-window.js';
import { cancel, expiredLink, loadSession, login, pay, sessionTrade, timeOut, type LoadedSession } from './flow.js';
import { cashierPage, errorPage, EXPLAIN, merchantLink, resultPage } from './page.js';
import { cashierMerchantName, partnerLabel } from './merchant-name.js';
import { tradeClosedDetail } from '../services/link-window.js';

function sendHtml(res: Response, body: string, status = 200): void {
  res.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
  res.end(body);
}

/** The detail sentence of a refusal, worked out again from the session (nothing taken from the URL but the code). */
function refusalDetail(ctx: SandboxContext, s: LoadedSession, code: string): string | undefined {
  if (code === TRADE_CLOSED_CODE) {
    const t = ctx.trades.byOutTradeNo(s.order.partner, s.order.out_trade_no);
    return t ? tradeClosedDetail(t) : undefined;
  }
  return code === 'SESSION_TIMEOUT' ? expiredLink(ctx, s)?.detail : undefined;
}

/** Build the cashier router. */
export function cashierRouter(ctx: SandboxContext): Router {
  const r = Router();
  const cashierUrl = (s: LoadedSession) => `${ctx.publicBaseUrl}/cashier/${encodeURIComponent(s.session.id)}`;
  const resultUrl = (s: LoadedSession, code?: string) =>
    `${cashierUrl(s)}/result${code ? `?error=${encodeURIComponent(code)}` : ''}`;

  r.get('/cashier/:id', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    // A finished session (paid, cancelled, closed) shows its result, not the buttons again.
    if (s.session.state !== 'open') return res.redirect(303, resultUrl(s));
    const trade = sessionTrade(ctx, s);
    if (trade && trade.status !== 'WAIT_BUYER_PAY') return res.redirect(303, resultUrl(s));
    // §3.6: past the order_gmt_create + order_valid_time window a link without a trade is dead.
    const expired = trade ? undefined : expiredLink(ctx, s);
    if (expired) return sendHtml(res, errorPage(expired.code, expired.detail));
    sendHtml(
      res,
      cashierPage({
        base: ctx.publicBaseUrl,
        sessionId: s.session.id,
        merchantName: cashierMerchantName(ctx, s.order),
        registeredName: partnerLabel(ctx, s.order.partner),
        order: s.order,
        trade,
      }),
    );
  });

  r.get('/cashier/:id/result', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const back = merchantLink(s.order);
    const link = back ? { href: back, label: 'Back to the merchant' } : undefined;
    const code = typeof req.query.error === 'string' ? req.query.error : undefined;
    // Only codes the cashier itself produces are shown; anything else in the URL is ignored.
    if (code !== undefined && Object.prototype.hasOwnProperty.call(EXPLAIN, code))
      return sendHtml(res, errorPage(code, refusalDetail(ctx, s, code)));
    if (s.session.state === 'cancelled')
      return sendHtml(res, resultPage('Payment cancelled', 'You cancelled the payment. Nothing was charged.', link));
    const trade = sessionTrade(ctx, s);
    if (trade?.status === 'TRADE_FINISHED')
      return sendHtml(
        res,
        resultPage(
          'Payment successful',
          `You paid. The merchant's order ${trade.out_trade_no} is paid (Alipay trade ${trade.trade_no}).`,
          link,
        ),
      );
    if (trade?.status === 'TRADE_CLOSED')
      return sendHtml(
        res,
        resultPage(
          'Payment timed out',
          'This payment expired; nothing was charged. Start again from the merchant to pay.',
          link,
        ),
      );
    res.redirect(303, cashierUrl(s));
  });

  r.post('/cashier/:id/login', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const out = login(ctx, s);
    res.redirect(303, out.ok ? cashierUrl(s) : resultUrl(s, out.code));
  });

  r.post('/cashier/:id/pay', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const out = pay(ctx, s);
    if (!out.ok) return res.redirect(303, resultUrl(s, out.code));
    // §3.8: a 302 to return_url with the signed parameters; without return_url, the result page.
    if (out.returnUrl) {
      res.status(302).setHeader('Location', out.returnUrl);
      return res.end();
    }
    res.redirect(303, resultUrl(s));
  });

  r.post('/cashier/:id/cancel', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    // The document returns the browser only after success (§3.8), so cancelling shows a page.
    cancel(ctx, s);
    res.redirect(303, resultUrl(s));
  });

  r.post('/cashier/:id/timeout', (req, res) => {
    const s = loadSession(ctx, req.params.id);
    if (!s) return sendHtml(res, errorPage('SESSION_TIMEOUT'), 404);
    const out = timeOut(ctx, s);
    res.redirect(303, out.ok ? resultUrl(s) : resultUrl(s, out.code));
  });
  return r;
}
