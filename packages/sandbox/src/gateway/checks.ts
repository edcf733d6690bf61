/**
 * The gateway-level checks of protocol §1.6, in the decided order; the first failure wins:
 * 1 query/body conflict, 2 service, 3 partner, 4 `_input_charset`, 5 `sign_type`,
 * 6 a key for that type, 7 `sign`. Step 8 (the service's own checks) belongs to each service.
 *
 * @module
 */
import type { Charset } from '@alipay-kit/core';
import type { MerchantEntry, SandboxContext } from '../context.js';
import { hasKeyFor, verifyRequestSignature } from '../crypto/verify.js';
import type { InboundSignType } from '../types.js';
import type { ParsedRequest } from './parse.js';
import { serviceInfo, type ServiceInfo } from './services.js';

/** A request that passed steps 1–7. */
export interface CheckedRequest {
  service: string;
  info: ServiceInfo;
  merchant: MerchantEntry;
  partner: string;
  signType: InboundSignType;
  charset: Charset;
  params: Record<string, string>;
  echo: Array<[string, string]>;
}

/** The outcome of {@link checkGatewayRequest}. */
export type CheckResult = { ok: true; request: CheckedRequest } | { ok: false; code: string };

/** Step 4: `_input_charset` allowed for the service (absent → UTF-8, §1.3). */
export function charsetAllowed(info: ServiceInfo, inputCharset: string | undefined): boolean {
  if (inputCharset === undefined || inputCharset === '') return true;
  return info.charsets.has(inputCharset.toUpperCase());
}

/**
 * Run §1.6 steps 1–7.
 *
 * @example
 * ```ts
 * const r = checkGatewayRequest(ctx, parsed)
 * if (!r.ok) return xmlFailure(r.code)
 * ```
 */
export function checkGatewayRequest(ctx: SandboxContext, req: ParsedRequest): CheckResult {
  const p = req.params;
  if (req.conflict) return { ok: false, code: 'ILLEGAL_ARGUMENT' };
  const service = p.service;
  const info = serviceInfo(service);
  if (!info || service === undefined) return { ok: false, code: 'ILLEGAL_SERVICE' };
  const partner = p.partner;
  const merchant = partner ? ctx.merchants.get(partner) : undefined;
  if (!merchant || !partner) return { ok: false, code: 'ILLEGAL_PARTNER' };
  if (!charsetAllowed(info, p._input_charset)) return { ok: false, code: 'ILLEGAL_CHARSET' };
  // §1.6 step 5: exactly MD5, RSA or RSA2 (case-sensitive: "Use uppercase", §2.3); DSA only
  // for a merchant configured with a DSA key (§2.3 decision).
  const st = p.sign_type;
  let signType: InboundSignType;
  if (st === 'MD5' || st === 'RSA' || st === 'RSA2') signType = st;
  else if (st === 'DSA' && merchant.keys.dsa) signType = 'DSA';
  else return { ok: false, code: 'ILLEGAL_SIGN_TYPE' };
  if (!hasKeyFor(merchant.keys, signType)) return { ok: false, code: 'ILLEGAL_SECURITY_PROFILE' };
  if (!verifyRequestSignature(p, signType, merchant.keys, req.charset)) return { ok: false, code: 'ILLEGAL_SIGN' };
  return {
    ok: true,
    request: { service, info, merchant, partner, signType, charset: req.charset, params: p, echo: req.echo },
  };
}
