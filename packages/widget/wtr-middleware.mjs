// Test-only HTTP API for the widget's browser tests, mounted by the root web-test-runner config
// (`middleware: widgetMiddleware`). It speaks the server-kit router's JSON contract under
// /widget-api/* with deterministic behaviour chosen by the order's "scenario", plays the
// gateway's cashier (a redirect back with the sync-return parameters), and serves test pages
// under a strict Content-Security-Policy. Koa-style middleware, no dependencies.
//
//   POST /widget-api/checkout          { order, variant } → { outTradeNo, url, form, orderToken, expiresAt }
//   POST /widget-api/return            { query, orderToken } → { outTradeNo, status, verified }
//   GET  /widget-api/orders/:id        Authorization: Bearer <orderToken> → { outTradeNo, status, amount, currency, subject }
//   GET|POST /widget-api/cashier       → 303 to /widget-api/page.html?out_trade_no=…&trade_status=…&sign=good…
//   GET  /widget-api/page.html?…       a page with one <alipay-checkout>, strict CSP header
//   GET  /widget-api/_log/:id          every request this API saw for that order (tests count them)
//
// Scenario = `order` when it is a string, else `order.scenario`, default "paid":
//   paid | closed | refunded | partially_refunded   /return and /orders answer that status
//   paid-after-N                                    /return pending, then N-1 polls pending, then paid
//   pending                                         pending forever
//   form                                            checkout answers url '' (the widget posts the form)
//   checkout-500 | checkout-400 | checkout-bad | checkout-js | checkout-slow
//   return-500 | return-flaky (one 503, then paid) | orders-401

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

let seq = 0;
const polls = new Map();
const returns = new Map();
const log = new Map();

const scenarioOf = (id) => id.slice(id.indexOf('-') + 1);
const tokenOf = (id) => `tok.${id}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

function json(ctx, status, body) {
  ctx.status = status;
  ctx.set('cache-control', 'no-store');
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
}
const fail = (ctx, status, code) => json(ctx, status, { error: { code, message: `test server: ${code}` } });

function record(id, entry) {
  if (!log.has(id)) log.set(id, []);
  log.get(id).push(entry);
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(params) {
  const attrs = ['order', 'locale', 'variant', 'label', 'poll-timeout', 'disabled', 'dir']
    .filter((k) => params.has(k))
    .map((k) => ` ${k}="${esc(params.get(k))}"`)
    .join('');
  const element = params.get('bundle')
    ? '/packages/widget/dist/alipay-checkout.bundle.js'
    : '/packages/widget/src/components/alipay-checkout/alipay-checkout.ts';
  // Recorder first: module scripts run in document order, so it listens before the element exists.
  return `<!doctype html>
<html lang="${esc(params.get('lang') ?? 'en')}">
<head>
<meta charset="utf-8">
<title>alipay-checkout under a strict CSP</title>
<link rel="stylesheet" href="/packages/widget/test/pages/page.css">
<script type="module" src="/packages/widget/test/pages/recorder.ts"></script>
<script type="module" src="${element}"></script>
</head>
<body>
<main><h1>Checkout</h1><alipay-checkout endpoint="/widget-api"${attrs}></alipay-checkout></main>
</body>
</html>`;
}

export const widgetMiddleware = [
  async function widgetApi(ctx, next) {
    if (!ctx.path.startsWith('/widget-api/')) return next();
    const path = ctx.path.slice('/widget-api'.length);
    const method = ctx.method;

    if (method === 'GET' && path === '/page.html') {
      ctx.set('content-security-policy', CSP);
      ctx.set('cache-control', 'no-store');
      ctx.type = 'text/html';
      ctx.body = page(new URLSearchParams(ctx.querystring));
      return;
    }

    if (method === 'GET' && path.startsWith('/_log/')) {
      return json(ctx, 200, log.get(decodeURIComponent(path.slice(6))) ?? []);
    }

    if (method === 'POST' && path === '/checkout') {
      const raw = await readBody(ctx.req);
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        return fail(ctx, 400, 'BAD_JSON');
      }
      const order = body.order;
      const scenario = (typeof order === 'string' ? order : order?.scenario) || 'paid';
      const id = `T${++seq}-${scenario}`;
      record('checkout', { method, path, contentType: ctx.get('content-type'), body });
      record(id, { method, path, body });
      if (scenario === 'checkout-500') return fail(ctx, 500, 'INTERNAL');
      if (scenario === 'checkout-400') return fail(ctx, 400, 'ORDER_INVALID');
      if (scenario === 'checkout-bad') return json(ctx, 200, { outTradeNo: id });
      if (scenario === 'checkout-slow') await sleep(400);
      const fields = { out_trade_no: id, _input_charset: 'utf-8', sign: 'good', sign_type: 'MD5' };
      const url =
        scenario === 'form'
          ? ''
          : scenario === 'checkout-js'
            ? 'javascript:alert(1)'
            : `/widget-api/cashier?${new URLSearchParams(fields)}`;
      return json(ctx, 200, {
        outTradeNo: id,
        url,
        form: { action: '/widget-api/cashier', method: 'POST', fields },
        orderToken: tokenOf(id),
        expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      });
    }

    if (path === '/cashier' && (method === 'GET' || method === 'POST')) {
      const params =
        method === 'POST' ? new URLSearchParams(await readBody(ctx.req)) : new URLSearchParams(ctx.querystring);
      const id = params.get('out_trade_no') ?? '';
      record(id, { method, path, query: ctx.querystring, form: Object.fromEntries(params) });
      const back = new URLSearchParams({
        keep: 'me',
        out_trade_no: id,
        trade_no: `2025${String(seq).padStart(12, '0')}`,
        trade_status: 'TRADE_FINISHED',
        currency: 'USD',
        total_fee: '10.00',
        sign: 'good',
        sign_type: 'MD5',
      });
      ctx.status = 303;
      ctx.redirect(`/widget-api/page.html?${back}`);
      return;
    }

    if (method === 'POST' && path === '/return') {
      const body = JSON.parse(await readBody(ctx.req));
      const q = new URLSearchParams(body.query);
      const id = q.get('out_trade_no') ?? '';
      const scenario = scenarioOf(id);
      record(id, { method, path, body });
      if (scenario === 'return-500') return fail(ctx, 500, 'ILLEGAL_SIGN');
      if (scenario === 'return-flaky' && !returns.has(id)) {
        returns.set(id, 1);
        ctx.status = 503;
        ctx.body = 'unavailable';
        return;
      }
      const status =
        scenario === 'closed' || scenario === 'refunded' || scenario === 'partially_refunded'
          ? scenario
          : scenario.startsWith('paid-after') || scenario === 'pending' || scenario === 'orders-401'
            ? 'pending'
            : 'paid';
      return json(ctx, 200, { outTradeNo: id, status, verified: q.get('sign') === 'good' });
    }

    const m = /^\/orders\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const id = decodeURIComponent(m[1]);
      const auth = ctx.get('authorization');
      record(id, { method, path, authorization: auth });
      if (scenarioOf(id) === 'orders-401' || auth !== `Bearer ${tokenOf(id)}`) return fail(ctx, 401, 'TOKEN_INVALID');
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      const after = /^paid-after-(\d+)$/.exec(scenarioOf(id));
      // A settled scenario reads back as itself (a reload of the return page asks /orders only).
      const settled = /^(paid|closed|refunded|partially_refunded)$/.test(scenarioOf(id));
      const status = settled ? scenarioOf(id) : after && n >= Number(after[1]) ? 'paid' : 'pending';
      return json(ctx, 200, { outTradeNo: id, status, amount: '10.00', currency: 'USD', subject: 'Test order' });
    }

    return fail(ctx, 404, 'NOT_FOUND');
  },
];
