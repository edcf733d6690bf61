/**
 * `alipayFetchHandler(options)`: alipay-kit's HTTP API for Fetch-standard runtimes — Next.js route
 * handlers, Hono, Bun, Deno — as `(request: Request) => Promise<Response>`. The same routes,
 * options and behaviour as the Express `alipayRouter`: both are thin adapters over routes/api.ts.
 *
 * @module
 */
import { _createAlipayApi, type AlipayControls } from '../routes/api.js';
import type { _HttpAnswer, _HttpRequest } from '../routes/http.js';
import type { AlipayHookRequest, AlipayRouterOptions } from '../routes/options.js';
import { _readFetchBody } from './read-body.js';

/**
 * What `resolveOrder` and `authorize` receive under {@link alipayFetchHandler}: the common members plus the Fetch request.
 *
 * @example
 * ```ts
 * resolveOrder: async (req) => cart.toOrder(req.body.order, req.headers.get('cookie')),
 * authorize: (req) => (req.url.searchParams.has('debug') ? 403 : isAdmin(req.request) || 401),
 * ```
 */
export interface AlipayFetchHookRequest extends AlipayHookRequest {
  /** The Fetch `Request` (its body already read by the handler: use {@link AlipayHookRequest.body}). */
  readonly request: Request;
  /** The request's URL, parsed. */
  readonly url: URL;
  /** The request's headers. */
  readonly headers: Headers;
}

/**
 * Options of {@link alipayFetchHandler}: the router's options, plus where the routes live.
 *
 * @example
 * ```ts
 * const options: AlipayFetchHandlerOptions = { ...routerOptions, basePath: '/api/alipay' }
 * ```
 */
export interface AlipayFetchHandlerOptions extends AlipayRouterOptions<AlipayFetchHookRequest> {
  /**
   * The URL path the routes sit under, e.g. `/api/alipay` (then `POST /api/alipay/checkout`).
   * Default: the path of `notifyUrl` without its final `/notify`.
   */
  basePath?: string;
}

/**
 * The handler {@link alipayFetchHandler} returns, plus the router's operations ({@link AlipayControls}).
 *
 * @example
 * ```ts
 * const handler: AlipayFetchHandler = alipayFetchHandler(options)
 * Bun.serve({ fetch: (request) => handler(request) })
 * process.on('SIGTERM', () => handler.close())
 * ```
 */
export interface AlipayFetchHandler extends AlipayControls {
  (request: Request): Promise<Response>;
}

/** `basePath`, or the one `notifyUrl` implies; validated at startup. */
function resolveBasePath(o: AlipayFetchHandlerOptions): string {
  if (o.basePath !== undefined) {
    if (typeof o.basePath !== 'string' || !/^\/(?:[^\s?#]*[^\s?#/])?$/.test(o.basePath))
      throw new TypeError(
        'alipayFetchHandler: option basePath must be a path like /api/alipay (leading /, no trailing /, no query)',
      );
    return o.basePath === '/' ? '' : o.basePath;
  }
  let path: string;
  try {
    path = new URL(o.notifyUrl).pathname;
  } catch {
    return ''; // notifyUrl itself is refused by the option checks
  }
  if (!path.endsWith('/notify'))
    throw new TypeError(
      `alipayFetchHandler: option basePath is required when notifyUrl's path does not end in /notify (got ${path.slice(0, 80)})`,
    );
  return path.slice(0, -'/notify'.length);
}

/** The neutral request over a Fetch `Request`, or undefined when its path is not under `base`. */
function neutral(request: Request, base: string): _HttpRequest | undefined {
  const url = new URL(request.url);
  // The raw (still percent-encoded) path and query, as they came.
  const path = url.pathname;
  if (base !== '' && path !== base && !path.startsWith(`${base}/`)) return undefined;
  const below = path.slice(base.length) || '/';
  return {
    method: request.method.toUpperCase(),
    path: below,
    rawQuery: url.search.slice(1),
    header: (name) => request.headers.get(name) ?? undefined,
    remoteAddress: null,
    readBody: (limit) => _readFetchBody(request, limit),
    parsedBody: () => undefined,
    hookRequest: (body): AlipayFetchHookRequest => ({
      method: request.method.toUpperCase(),
      path: below,
      body,
      get: (name) => request.headers.get(name) ?? undefined,
      request,
      url,
      headers: request.headers,
    }),
  };
}

function toResponse(answer: _HttpAnswer): Response {
  const body = answer.body === null ? null : typeof answer.body === 'string' ? answer.body : answer.body.slice();
  return new Response(body, { status: answer.status, headers: answer.headers });
}

const NOT_FOUND = () =>
  new Response(JSON.stringify({ error: { code: 'ERR_INVALID_PARAMS', message: 'no such alipay-kit route' } }), {
    status: 404,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });

/**
 * Create the Fetch handler. Options are those of `alipayRouter` (validated here, `TypeError`
 * naming the option) plus `basePath`; the hooks receive an {@link AlipayFetchHookRequest}.
 *
 * Routes under `basePath`: `POST /checkout`, `POST /notify`, `GET /return`, `POST /return`,
 * `GET /orders/:outTradeNo`, `POST /refunds`, `POST /reconcile` — the README's "HTTP API". Any
 * other path or method is answered 404. `/notify` reads the raw body itself (at most 64 KiB, §2.4):
 * hand it the untouched `Request`. Needs a runtime with Node's `node:crypto` (Node, Bun, Deno,
 * Next.js's Node.js runtime — not an edge runtime). Call `handler.close()` on shutdown.
 *
 * @example
 * ```ts
 * // app/api/alipay/[...path]/route.ts (Next.js App Router)
 * export const runtime = 'nodejs'
 * const handler = alipayFetchHandler({
 *   client, ledger, tokenSecret: process.env.ORDER_TOKEN_SECRET!,
 *   notifyUrl: 'https://shop.example/api/alipay/notify', // basePath: /api/alipay
 *   returnUrl: 'https://shop.example/api/alipay/return', returnPage: '/thanks',
 *   resolveOrder: async (req) => cart.toOrder(req.body),
 *   onPaid: (order) => fulfil(order.out_trade_no),
 * })
 * export { handler as GET, handler as POST }
 * ```
 */
export function alipayFetchHandler(options: AlipayFetchHandlerOptions): AlipayFetchHandler {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('alipayFetchHandler: options must be an object');
  const api = _createAlipayApi(options, 'alipayFetchHandler');
  let base: string;
  try {
    base = resolveBasePath(options);
  } catch (e) {
    api.controls.close();
    throw e;
  }
  const handler = async function alipayFetchHandler(request: Request): Promise<Response> {
    const req = neutral(request, base);
    if (!req) return NOT_FOUND();
    const answer = await api.handle(req);
    return answer ? toResponse(answer) : NOT_FOUND();
  };
  return Object.assign(handler, api.controls);
}
