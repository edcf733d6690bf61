/**
 * Signed XML replies (§1.5, §2.5): the object's leaf children are signed with the request's
 * sign type and charset (§2.1 step 6, §2.3 decision).
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import type { CheckedRequest } from '../gateway/checks.js';
import { xmlSignedSuccess } from '../lib/xml.js';

/** Build a signed `is_success=T` reply holding one object. */
export function signedReply(
  ctx: SandboxContext,
  req: CheckedRequest,
  objectName: string,
  fields: Array<[string, string]>,
): string {
  const kept = fields.filter(([, v]) => v !== '');
  const sign = ctx.signer.sign(Object.fromEntries(kept), req.signType, req.charset, req.merchant.config);
  return xmlSignedSuccess({ request: req.echo, objectName, fields: kept, sign, signType: req.signType });
}
