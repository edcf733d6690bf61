/**
 * Reading a `gateway.do` body (§1.2b: raw bytes, any media type, at most 2 MB) and the Express
 * route for the requests gateway/direct.ts leaves to Express (a path Express matches in a way
 * the direct path does not try to, e.g. an absolute-form request target).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { Router } from 'express';
import type { SandboxContext } from '../context.js';
import { serveGateway } from './serve.js';

/**
 * Read the raw body into `req.body` (a Buffer; left `undefined` without a body), at most 2 MB;
 * `next(err)` with an HTTP error (413, 415, 400) as body-parser makes them.
 */
export const readGatewayBody: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void =
  express.raw({ type: () => true, limit: '2mb' });

/** Build the gateway router. `hanging` collects responses held open by the timeout fault. */
export function gatewayRouter(ctx: SandboxContext, hanging: Set<ServerResponse>): Router {
  const r = Router();
  r.all('/gateway.do', readGatewayBody, function gatewayDo(req, res) {
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    return serveGateway(ctx, hanging, req, res, body);
  });
  return r;
}
