// Secondary-merchant services (protocol §11): core's validateSecmerchantOnlineMaintain /
// validateSecmerchantQueryStatus → sign → POST → verified XML → core's readSecmerchantResult.
import { formatBeijingDateTime, gatewayErrorFrom, type SecmerchantResult } from '@alipay-kit/core';
import { _exchangeXml, _request, type ClientContext } from './context.js';
import { _OPERATIONS } from './services.js';

export type { SecmerchantResult } from '@alipay-kit/core';

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

type SecmerchantService =
  'alipay.overseas.secmerchant.online.maintain' | 'alipay.overseas.secmerchant.maintain.queryStatus';

/** Send, then core's reader; a business failure (§11.3) throws the gateway's code as `ERR_GATEWAY`. */
async function send(
  ctx: ClientContext,
  service: SecmerchantService,
  params: Record<string, string>,
): Promise<SecmerchantResult> {
  // Re-sending the same id updates the registration (§11.1) and a status query has no side
  // effect: both idempotent, safe to retry.
  const xml = await ctx.http.withRetry(service, true, () => _exchangeXml(ctx, service, params));
  const result = _OPERATIONS[service].read(xml);
  if (!result.ok) throw gatewayErrorFrom(xml);
  return result;
}

export async function _secmerchantMaintain(
  ctx: ClientContext,
  p: SecmerchantMaintainParams,
): Promise<SecmerchantResult> {
  if (typeof p !== 'object' || p === null) throw new TypeError('params must be an object');
  const { site_infos, ...rest } = p;
  const fields = {
    ...rest,
    site_infos: site_infos === undefined || typeof site_infos === 'string' ? site_infos : JSON.stringify(site_infos),
  } as Record<string, string>;
  const service = 'alipay.overseas.secmerchant.online.maintain';
  return send(
    ctx,
    service,
    _request(ctx, service, { ...fields, timestamp: formatBeijingDateTime(ctx.now().getTime()) }),
  );
}

export async function _secmerchantQueryStatus(
  ctx: ClientContext,
  p: { secondary_merchant_id: string; payment_method?: string },
): Promise<SecmerchantResult> {
  if (typeof p !== 'object' || p === null) throw new TypeError('params must be an object');
  const service = 'alipay.overseas.secmerchant.maintain.queryStatus';
  return send(
    ctx,
    service,
    _request(ctx, service, {
      secondary_merchant_id: p.secondary_merchant_id,
      payment_method: p.payment_method ?? 'ONLINE_PAYMENT',
      timestamp: formatBeijingDateTime(ctx.now().getTime()),
    }),
  );
}
