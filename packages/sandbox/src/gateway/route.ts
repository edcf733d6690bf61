/**
 * The `/gateway.do` Express route (any method): reads the raw query and raw body itself
 * (§1.2b), applies the transport faults (latency, hang, 5xx), dispatches, writes the answer.
 *
 * @module
 */
import express, { Router, type Response } from 'express';
import type { SandboxContext } from '../context.js';
import { roll } from '../faults.js';
import { dispatchGateway } from './dispatch.js';
import { parseGatewayRequest } from './parse.js';
import { writeResult } from './result.js';

/** Build the gateway router. `hanging` collects responses held open by the timeout fault. */
export function gatewayRouter(ctx: SandboxContext, hanging: Set<Response>): Router {
  const r = Router();
  r.all('/gateway.do', express.raw({ type: () => true, limit: '2mb' }), async function gatewayDo(req, res) {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    const parsed = parseGatewayRequest(rawQuery, body, req.headers['content-type']);
    const faults = ctx.faults.resolve(parsed.params.partner, parsed.params.service);
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (roll(faults.timeout)) {
      // Hang until the client gives up (or the sandbox closes).
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (roll(faults.http5xx)) {
      res.status(500).type('text/plain').end('Internal Server Error');
      return;
    }
    writeResult(res, dispatchGateway(ctx, parsed).result, faults);
  });
  return r;
}
