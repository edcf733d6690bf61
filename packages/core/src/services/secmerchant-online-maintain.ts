/**
 * `alipay.overseas.secmerchant.online.maintain`: register or update a secondary merchant
 * (protocol §11.1). The XML answer's business result is in `result_code` (§11.3); read it
 * with `readSecmerchantResult`.
 *
 * @module
 */
import { checkTimestamp } from '../lib/secmerchant.js';
import {
  checkCommon,
  fail,
  matches,
  maxWidth,
  oneOf,
  parseJsonParam,
  readParams,
  required,
  type ValidateOptions,
} from '../lib/validate.js';

/** Request parameters of `alipay.overseas.secmerchant.online.maintain` (§11.1). */
export interface SecmerchantOnlineMaintainParams {
  service?: 'alipay.overseas.secmerchant.online.maintain';
  partner: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
  /** `yyyy-MM-dd HH:mm:ss` Beijing send time; the request expires 30 minutes later. */
  timestamp: string;
  secondary_merchant_name: string;
  /** Letters, digits and `_` only; re-sending an id updates the registration. */
  secondary_merchant_id: string;
  /** MCC, 4 digits. */
  secondary_merchant_industry: string;
  /** ISO 3166 alpha-2. */
  register_country: string;
  register_address: string;
  /** JSON array of up to 5 `{site_type: 'WEB'|'APP', site_url, site_name?}`. */
  site_infos: string;
  secondary_merchant_type?: 'INDIVIDUAL' | 'ENTERPRISE';
  registration_no?: string;
  shareholder_name?: string;
  shareholder_id?: string;
  representative_name?: string;
  representative_id?: string;
  settlement_no?: string;
  contact_no?: string;
  contact_email?: string;
  cs_no?: string;
  cs_email?: string;
  [extra: string]: string | undefined;
}

/** The object of a maintain answer (§11.1, §11.3; element names as documented). */
export interface SecmerchantOnlineMaintainResponse {
  /** `SUCCESS` or the failure code itself, e.g. `PARAM_ILLEGAL` (§11.3 decision). */
  result_code?: string;
  secondary_merchant_id?: string;
  detail_error_code?: string;
  detail_error_des?: string;
  [extra: string]: string | undefined;
}

/** Options of the secondary-merchant validators. */
export interface SecmerchantValidateOptions extends ValidateOptions {
  /** Epoch milliseconds of "now" for the 30-minute `timestamp` window; skipped when omitted. */
  now?: number;
}

/**
 * Validate `alipay.overseas.secmerchant.online.maintain` parameters (§11.1).
 *
 * @example
 * ```ts
 * validateSecmerchantOnlineMaintain({
 *   partner: '2088101122136241', timestamp: formatBeijingDateTime(clock()),
 *   secondary_merchant_name: "Mika's coffee shop", secondary_merchant_id: 'MERCHANT_ID_0003',
 *   secondary_merchant_industry: '5499', register_country: 'US',
 *   register_address: '3 Old Concord Rd, Burlington, MA 01803',
 *   site_infos: '[{"site_type":"WEB","site_url":"https://example.com"}]',
 * }, { now: clock() })
 * ```
 */
export function validateSecmerchantOnlineMaintain(
  params: SecmerchantOnlineMaintainParams,
  options: SecmerchantValidateOptions = {},
): SecmerchantOnlineMaintainParams {
  const p = readParams(params, 'alipay.overseas.secmerchant.online.maintain');
  checkCommon(p, 'alipay.overseas.secmerchant.online.maintain');
  checkTimestamp(p, options.now);
  for (const f of [
    'secondary_merchant_name',
    'secondary_merchant_id',
    'secondary_merchant_industry',
    'register_country',
    'register_address',
    'site_infos',
  ])
    required(p, f);
  maxWidth(p, 'secondary_merchant_name', 64);
  maxWidth(p, 'secondary_merchant_id', 64);
  matches(p, 'secondary_merchant_id', /^[A-Za-z0-9_]+$/, 'letters, digits and _ only (§11.1)');
  matches(p, 'secondary_merchant_industry', /^[0-9]{4}$/, 'a 4-digit MCC (§11.1)');
  matches(p, 'register_country', /^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code (§11.1)');
  maxWidth(p, 'register_address', 256);
  oneOf(p, 'secondary_merchant_type', ['INDIVIDUAL', 'ENTERPRISE']);
  const sites = parseJsonParam(p, 'site_infos');
  if (!Array.isArray(sites) || sites.length === 0 || sites.length > 5)
    fail('ERR_INVALID_PARAMS', 'site_infos', 'must be a JSON array of 1 to 5 sites (§11.1)');
  for (const s of sites as unknown[]) {
    const site = s as { site_type?: unknown; site_url?: unknown } | null;
    if (
      typeof site !== 'object' ||
      site === null ||
      (site.site_type !== 'WEB' && site.site_type !== 'APP') ||
      typeof site.site_url !== 'string' ||
      site.site_url === ''
    ) {
      fail('ERR_INVALID_PARAMS', 'site_infos', 'each site needs site_type WEB or APP and a site_url (§11.1)');
    }
  }
  return p as SecmerchantOnlineMaintainParams;
}
