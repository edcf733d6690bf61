// Secondary-merchant services (protocol §11): register/update and status query.
import { AlipayGatewayError, AlipayResponseError, AlipayValidationError } from '@alipay-kit/core';
import { _formatGmt8 } from '../lib/gmt8.js';
import { _callXml, _signedParams, type ClientContext } from './context.js';

/** Registration fields (§11.1), gateway names. `site_infos` may be given as an array. */
export interface SecmerchantMaintainParams {
  secondary_merchant_id: string;
  secondary_merchant_name: string;
  secondary_merchant_industry: string;
  register_country: string;
  register_address: string;
  site_infos: string | Array<{ site_type: 'WEB' | 'APP'; site_url: string; site_name?: string }>;
  secondary_merchant_type?: 'INDIVIDUAL' | 'ENTERPRISE';
  [field: string]: unknown;
}

/** Result object of the secondary-merchant services, read by name (§11.3). */
export interface SecmerchantResult {
  result_code: string;
  secondary_merchant_id?: string;
  payment_method?: string;
  /** queryStatus: `PENDING`, `SUCCESS`, `FAILED` (§11.2, values partly invented). */
  status?: string;
  reject_reason?: string;
  [field: string]: string | undefined;
}

function business(label: string, r: Record<string, string> | undefined): SecmerchantResult {
  if (!r || typeof r.result_code !== 'string') throw new AlipayResponseError('ERR_RESPONSE_UNEXPECTED', `${label}: reply has no result_code`);
  if (r.result_code !== 'SUCCESS') {
    // §11.3 decision: the code is result_code itself, else detail_error_code, else error.
    const code = r.result_code || r.detail_error_code || r.error || 'UNKNOWN';
    throw new AlipayGatewayError('ERR_GATEWAY', `${label}: gateway answered ${code}`, { gatewayCode: code });
  }
  const out: SecmerchantResult = { ...r, result_code: r.result_code };
  if (out.status !== undefined) out.status = out.status.toUpperCase();
  return out;
}

export async function _secmerchantMaintain(ctx: ClientContext, p: SecmerchantMaintainParams): Promise<SecmerchantResult> {
  if (typeof p !== 'object' || p === null) throw new TypeError('params must be an object');
  const out: Record<string, string | undefined> = {};
  for (const k of ['secondary_merchant_id', 'secondary_merchant_name', 'secondary_merchant_industry', 'register_country', 'register_address'] as const) {
    if (typeof p[k] !== 'string' || p[k] === '') throw new AlipayValidationError('ERR_INVALID_PARAMS', `${k} is required`, { field: k });
  }
  if (!/^[A-Za-z0-9_]{1,64}$/.test(p.secondary_merchant_id)) throw new AlipayValidationError('ERR_INVALID_PARAMS', 'secondary_merchant_id: letters, digits and _ only (§11.1)', { field: 'secondary_merchant_id' });
  for (const k of Object.keys(p)) {
    const v = p[k];
    if (v === undefined || v === null || v === '') continue;
    if (k === 'site_infos') out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    else if (typeof v === 'string') out[k] = v;
    else throw new AlipayValidationError('ERR_INVALID_PARAMS', `${k} must be a string`, { field: k });
  }
  if (!out.site_infos) throw new AlipayValidationError('ERR_INVALID_PARAMS', 'site_infos is required', { field: 'site_infos' });
  const params = _signedParams(ctx, 'alipay.overseas.secmerchant.online.maintain', { ...out, timestamp: _formatGmt8(ctx.now()) });
  // Re-sending the same id updates the registration (§11.1): idempotent, safe to retry.
  const xml = await ctx.http.withRetry('secmerchant.maintain', true, () => _callXml(ctx, 'alipay.overseas.secmerchant.online.maintain', params));
  return business('alipay.overseas.secmerchant.online.maintain', xml.response?.fields);
}

export async function _secmerchantQueryStatus(ctx: ClientContext, p: { secondary_merchant_id: string; payment_method?: string }): Promise<SecmerchantResult> {
  if (typeof p !== 'object' || p === null || typeof p.secondary_merchant_id !== 'string' || p.secondary_merchant_id === '') {
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'secondary_merchant_id is required', { field: 'secondary_merchant_id' });
  }
  const params = _signedParams(ctx, 'alipay.overseas.secmerchant.maintain.queryStatus', {
    secondary_merchant_id: p.secondary_merchant_id,
    payment_method: p.payment_method ?? 'ONLINE_PAYMENT',
    timestamp: _formatGmt8(ctx.now()),
  });
  const xml = await ctx.http.withRetry('secmerchant.queryStatus', true, () => _callXml(ctx, 'alipay.overseas.secmerchant.maintain.queryStatus', params));
  return business('alipay.overseas.secmerchant.maintain.queryStatus', xml.response?.fields);
}
