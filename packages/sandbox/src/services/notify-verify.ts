/**
 * `notify_verify` (§7): plain text `true` iff the notify_id was issued to that partner less than
 * the TTL ago; `false` otherwise; `invalid` for a missing partner or notify_id or an unknown
 * partner. Signed and unsigned requests are accepted; a signed one with a bad signature is `false`.
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import { charsetAllowed } from '../gateway/checks.js';
import type { ParsedRequest } from '../gateway/parse.js';
import { SERVICES } from '../gateway/services.js';
import { hasKeyFor, verifyRequestSignature } from '../crypto/verify.js';
import type { InboundSignType } from '../types.js';

/** Answer notify_verify: `true`, `false` or `invalid`. */
export function notifyVerify(ctx: SandboxContext, req: ParsedRequest): 'true' | 'false' | 'invalid' {
  const p = req.params;
  if (req.conflict) return 'invalid';
  const merchant = p.partner ? ctx.merchants.get(p.partner) : undefined;
  if (!merchant || !p.notify_id) return 'invalid';
  if (!charsetAllowed(SERVICES.notify_verify!, p._input_charset)) return 'invalid';
  if (p.sign !== undefined || p.sign_type !== undefined) {
    const st = p.sign_type as InboundSignType;
    const known = st === 'MD5' || st === 'RSA' || st === 'RSA2' || (st === 'DSA' && !!merchant.keys.dsa);
    if (!known || !hasKeyFor(merchant.keys, st) || !verifyRequestSignature(p, st, merchant.keys, req.charset))
      return 'false';
  }
  const issued = ctx.notifications.notifyId(p.notify_id);
  if (!issued || issued.partner !== p.partner) return 'false';
  const age = ctx.clock.now() - issued.issued_at;
  return age >= 0 && age < ctx.notifyVerifyTtlMs ? 'true' : 'false';
}
