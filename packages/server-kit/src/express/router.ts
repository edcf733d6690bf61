/**
 * `alipayRouter(options)`: the Express adapter of alipay-kit's HTTP API (routes/api.ts). It turns
 * the Express request into the neutral one the routes take and writes their answer back; it
 * imports nothing from Express (a plain `(req, res, next)` middleware), so server-kit's types
 * need neither `express` nor `@types/express`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { _createAlipayApi, type AlipayControls } from '../routes/api.js';
import { _reportMisMountedParser } from '../routes/context.js';
import type { _HttpAnswer, _HttpRequest } from '../routes/http.js';
import type { AlipayHookRequest, AlipayRouterOptions } from '../routes/options.js';
import { _readExpressBody, type _ExpressLikeRequest } from './read-body.js';

/**
 * The middleware {@link alipayRouter} returns (mount it with `app.use(path, router)`), plus the
 * router's operations ({@link AlipayControls}: `syncOrder`, `syncPendingOrders`, `refund`,
 * `close`…). Typed without Express: `(req, res, next)` over Node's own request and response.
 *
 * @example
 * ```ts
 * const router: AlipayRouter = alipayRouter(options)
 * app.use('/alipay', router)
 * process.on('SIGTERM', () => router.close())
 * ```
 */
export interface AlipayRouter extends AlipayControls {
  (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
}

/** What the adapter reads of Express's request (all present on `express.Request`). */
type ExpressRequest = _ExpressLikeRequest & { url: string; get?(name: string): string | string[] | undefined };

/** Body-parser middleware that consumes form bodies (its function name in body-parser 1.x and 2.x). */
const FORM_PARSERS = new Set(['urlencodedParser']);

interface StackLayer {
  name?: unknown;
  handle?: unknown;
  slash?: unknown;
  regexp?: { fast_slash?: unknown };
}

/** True when a form body parser is mounted at the root among `layers` (they all run before the router). */
function formParserAmong(layers: readonly StackLayer[]): boolean {
  return layers.some(
    (layer) =>
      (layer.slash === true || layer.regexp?.fast_slash === true) &&
      typeof layer.name === 'string' &&
      FORM_PARSERS.has(layer.name),
  );
}

/** The Express app's middleware stack (Express 5 `app.router`, Express 4 `app._router`). */
function stackOf(app: unknown): StackLayer[] | undefined {
  const a = app as { router?: { stack?: unknown }; _router?: { stack?: unknown } } | undefined;
  const stack = a?.router?.stack ?? a?._router?.stack;
  return Array.isArray(stack) ? (stack as StackLayer[]) : undefined;
}

function header(req: ExpressRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The neutral request over an Express (or plain Node) request; `req.url` is below the mount point. */
function neutral(req: ExpressRequest): _HttpRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: path.startsWith('/') ? path : `/${path}`,
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    header: (name) => header(req, name),
    remoteAddress: req.socket?.remoteAddress ?? null,
    readBody: (limit) => _readExpressBody(req, limit),
    parsedBody: () => (req.body === undefined || Buffer.isBuffer(req.body) ? undefined : req.body),
    hookRequest: (body) => {
      // The hooks get Express's own request, with the parsed body where Express keeps it.
      if (body !== undefined && req.body === undefined) req.body = body;
      // Plain Node requests (no Express) get the two members Express would have given them.
      if (typeof req.get !== 'function')
        Object.defineProperty(req, 'get', { value: (n: string) => header(req, n), configurable: true });
      if (!('path' in req)) Object.defineProperty(req, 'path', { value: path, configurable: true });
      return req as unknown as AlipayHookRequest;
    },
  };
}

function send(res: ServerResponse, answer: _HttpAnswer): void {
  if (res.headersSent) return void res.end();
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body ?? undefined);
}

/**
 * Create the Express router. Options are validated here (`TypeError` naming the option).
 *
 * Routes: `POST /checkout`, `POST /notify`, `GET /return`, `POST /return`,
 * `GET /orders/:outTradeNo`, `POST /refunds`, `POST /reconcile` (the README's "HTTP API"). Bodies
 * and answers are the types of `@alipay-kit/core/contract`; errors are `{ error: { code, message } }`
 * (`ErrorResponse`, `code` an `AlipayErrorCode`); `/notify` answers `success` / `fail` as text.
 * Other paths fall through to the next middleware. The same routes run on Fetch runtimes with
 * `alipayFetchHandler`.
 *
 * Mount it before any `express.urlencoded()`: `/notify` reads its own raw body (§2.4). A form
 * parser mounted before it at the app's root is reported with one error line when the router is
 * mounted (`app.use`); any other parser that consumes the body (mounted on a path, in a nested
 * router) is reported by the first notification that arrives consumed. Once per router.
 *
 * @example
 * ```ts
 * app.use('/alipay', alipayRouter({
 *   client, ledger: createSqliteLedger({ file: 'alipay.db' }),
 *   resolveOrder: async (req) => cart.toOrder(req.body),
 *   tokenSecret: process.env.ORDER_TOKEN_SECRET!,
 *   notifyUrl: 'https://shop.example/alipay/notify',
 *   returnUrl: 'https://shop.example/alipay/return',
 *   returnPage: '/thanks',
 *   onPaid: (order) => fulfil(order.out_trade_no),
 *   authorize: (req) => req.get('x-admin-key') === process.env.ADMIN_KEY || 401,
 * }))
 * app.use(express.urlencoded({ extended: false })) // after the router
 * ```
 */
export function alipayRouter<Req extends AlipayHookRequest = AlipayHookRequest>(
  options: AlipayRouterOptions<Req>,
): AlipayRouter {
  const api = _createAlipayApi(options, 'alipayRouter');
  const middleware = function alipayRouter(
    req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void {
    const r = req as ExpressRequest;
    api.handle(neutral(r)).then(
      (answer) => (answer ? send(res, answer) : next()),
      (e: unknown) => next(e),
    );
  };
  // Mount time: `app.use(path, x)` mounts an `x` that has `handle` and `set` as a sub-app and
  // emits `mount` with the parent app at once, whose stack then holds everything mounted before the
  // router (its own layer last). A form parser among them is reported there, before any request.
  Object.defineProperties(middleware, {
    handle: { value: middleware },
    set: { value: () => middleware },
    emit: {
      value: (event: unknown, parent: unknown): boolean => {
        const stack = event === 'mount' ? stackOf(parent) : undefined;
        if (stack && formParserAmong(stack.slice(0, -1))) _reportMisMountedParser(api.ctx, 'mount');
        return true;
      },
    },
  });
  return Object.assign(middleware, api.controls);
}
