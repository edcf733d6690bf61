/**
 * Answering one `gateway.do` request over plain Node `req`/`res` (no Express helpers, so both the
 * Express route and the direct path of gateway/direct.ts can use it): reads the raw query
 * (§1.2b), applies the transport faults (latency, hang, 5xx), dispatches, writes the answer.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../context.js';
import { roll } from '../faults.js';
import type { FaultConfig } from '../types.js';
import { dispatchGateway } from './dispatch.js';
import { parseGatewayRequest, type ParsedRequest } from './parse.js';
import { writeInternalError, writeResult } from './result.js';

/**
 * Answer a gateway request whose body (if any) has been read into `body`. `hanging` collects the
 * responses held open by the timeout fault.
 *
 * Synchronous unless the `latencyMs` fault delays the answer: then it returns the promise of the
 * delayed answer. An unexpected error is thrown (or rejects the promise) before anything is
 * written; the caller hands it to Express's error handling.
 */
export function serveGateway(
  ctx: SandboxContext,
  hanging: Set<ServerResponse>,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | undefined,
): Promise<void> | undefined {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const parsed = parseGatewayRequest(rawQuery, body, req.headers['content-type']);
  const faults = ctx.faults.resolve(parsed.params.partner, parsed.params.service);
  if (faults.latencyMs)
    return new Promise((resolve) => setTimeout(resolve, faults.latencyMs)).then(() =>
      answer(ctx, hanging, res, parsed, faults),
    );
  answer(ctx, hanging, res, parsed, faults);
  return undefined;
}

/** The part after the latency fault: hang, fail with 500, or dispatch and write. */
function answer(
  ctx: SandboxContext,
  hanging: Set<ServerResponse>,
  res: ServerResponse,
  parsed: ParsedRequest,
  faults: FaultConfig,
): void {
  if (roll(faults.timeout)) {
    // Hang until the client gives up (or the sandbox closes).
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
    return;
  }
  if (roll(faults.http5xx)) return writeInternalError(res);
  writeResult(res, dispatchGateway(ctx, parsed).result, faults);
}
