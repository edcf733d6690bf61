/**
 * Reading the business result of the secondary-merchant services (protocol §11.3).
 *
 * @module
 */
import { normalizeSecmerchantStatus } from '../services/secmerchant-query-status.js';
import type { GatewayXmlResult } from './parse.js';

/** The business outcome of a secondary-merchant reply. */
export interface SecmerchantResult {
  /** True only for `is_success=T` with `result_code=SUCCESS`. */
  ok: boolean;
  /**
   * The failure code (§11.3 decision): `error` for `is_success=F`; otherwise `result_code`
   * when it is not `SUCCESS`, falling back to `detail_error_code`, then `error`.
   */
  code?: string;
  result_code?: string;
  detail_error_code?: string;
  detail_error_des?: string;
  error?: string;
  secondary_merchant_id?: string;
  payment_method?: string;
  /** Upper-cased when it is one of `PENDING`, `SUCCESS`, `FAILED` in any case (§11.2); else verbatim. */
  status?: string;
  reject_reason?: string;
  /** All leaf fields of the object, whatever its element name (§11.3 "find by name"). */
  fields: Record<string, string>;
}

/**
 * Extract `result_code`, `status`, `reject_reason`, `secondary_merchant_id` and the error
 * code from a parsed secondary-merchant reply, by element name, whatever the wrapper element
 * under `<response>` is called (§11.3). Verify the reply first.
 *
 * @example
 * ```ts
 * const r = readSecmerchantResult(parseGatewayXml(body))
 * if (!r.ok) throw new Error(r.code) // e.g. 'PARAM_ILLEGAL'
 * r.status // 'PENDING'
 * ```
 */
export function readSecmerchantResult(result: GatewayXmlResult): SecmerchantResult {
  const fields = Object.assign(Object.create(null) as Record<string, string>, result.response?.fields ?? {});
  const out: SecmerchantResult = { ok: false, fields };
  for (const k of [
    'result_code',
    'detail_error_code',
    'detail_error_des',
    'error',
    'secondary_merchant_id',
    'payment_method',
    'status',
    'reject_reason',
  ] as const) {
    if (Object.prototype.hasOwnProperty.call(fields, k)) out[k] = fields[k];
  }
  if (out.status !== undefined) out.status = normalizeSecmerchantStatus(out.status) ?? out.status;
  if (result.is_success === 'F') {
    out.error = result.error ?? out.error;
    out.code = result.error || out.detail_error_code || 'UNKNOWN';
    return out;
  }
  if (out.result_code === 'SUCCESS') {
    out.ok = true;
    return out;
  }
  out.code = out.result_code || out.detail_error_code || out.error || 'UNKNOWN';
  return out;
}
