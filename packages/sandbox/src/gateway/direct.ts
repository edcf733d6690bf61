/**
 * The direct path to `gateway.do`: its requests are answered before Express routes anything.
 * None of the app's middleware applies to them (the cross-origin guard lets `gateway.do`
 * through, the favicon and page routes do not match) and the answer writes its own security
 * headers (gateway/result.ts), so the chain and Express's per-request set-up were pure cost:
 * under a notify_verify load (§7), most of the sandbox's CPU.
 *
 * Only a path Express surely routes to `/gateway.do` takes this path: exactly `/gateway.do` or
 * `/gateway.do/` (ASCII letters in any case, as Express matches by default), then the end or
 * the query. A body is read by the same body-parser middleware as the Express route (skipped
 * when there is no `Content-Length` and no `Transfer-Encoding`, i.e. when body-parser would read
 * nothing). Every other request goes through Express as before.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

/** `/gateway.do` or `/gateway.do/`, then the end or the query. */
const GATEWAY_PATH = /^\/gateway\.do\/?(?:\?|$)/i;

/** True for a request target the direct path answers (see the module notes). */
function isDirectGatewayTarget(url: string | undefined): boolean {
  return GATEWAY_PATH.test(url ?? '');
}

/** Express's own entry point, which its typings leave out. */
type Handle = (req: IncomingMessage, res: ServerResponse, callback?: (err?: unknown) => void) => void;

/** A connect-style body reader (`req.body`, `next(err)`), as body-parser makes them. */
type ReadBody = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Answers a request; synchronous, or the promise of a delayed answer. */
type Serve = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => Promise<void> | undefined;

/**
 * Put the direct path in front of `app`: gateway requests are read with `readBody` and answered
 * by `serve`, everything else goes to Express. Wraps `app.handle`, the one entry of both
 * `app.listen`/`createServer(app)` and a parent app that mounts this one.
 *
 * Returns the middleware that keeps errors where they were: a request whose body cannot be read
 * (413, 415, 400) or whose `serve` throws goes through Express after all, and this middleware,
 * mounted right after the security headers, hands the error to Express's error handling.
 */
export function gatewayFirst(app: Express, readBody: ReadBody, serve: Serve): RequestHandler {
  const failures = new WeakMap<IncomingMessage, unknown>();
  const target = app as unknown as { handle: Handle };
  const handle = target.handle;
  target.handle = function sandboxHandle(req, res, callback) {
    if (!isDirectGatewayTarget(req.url)) return handle.call(this, req, res, callback);
    const fail = (err: unknown) => {
      failures.set(req, err);
      handle.call(this, req, res, callback);
    };
    const answer = (body: Buffer | undefined) => {
      let delayed: Promise<void> | undefined;
      try {
        delayed = serve(req, res, body);
      } catch (err) {
        return fail(err);
      }
      delayed?.catch(fail);
    };
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
      return answer(undefined);
    readBody(req, res, (err) => {
      if (err) return fail(err);
      const body: unknown = (req as IncomingMessage & { body?: unknown }).body;
      answer(Buffer.isBuffer(body) ? body : undefined);
    });
  };
  return function sandboxGatewayFailure(req: Request, _res: Response, next: NextFunction) {
    if (!failures.has(req)) return next();
    const err = failures.get(req);
    failures.delete(req);
    next(err);
  };
}
