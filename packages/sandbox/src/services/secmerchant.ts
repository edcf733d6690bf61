/**
 * Secondary merchants (§11): `alipay.overseas.secmerchant.online.maintain` registers or updates
 * by id; `alipay.overseas.secmerchant.maintain.queryStatus` reports PENDING / SUCCESS / FAILED.
 * Shape per §11.3 decision (invented by the document): `is_success=T`, a signed
 * `<secmerchant>` object whose `result_code` is SUCCESS or the failure code itself
 * (PARAM_ILLEGAL, DATA_NOT_EXIST) with `detail_error_des`.
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import type { CheckedRequest } from '../gateway/checks.js';
import { parseGmt8 } from '../lib/time.js';
import { fitsWidth } from '../lib/width.js';
import { signedReply } from './sign-reply.js';

const HALF_HOUR = 30 * 60_000;
const MAINTAIN_FIELDS = [
  'secondary_merchant_name',
  'secondary_merchant_id',
  'secondary_merchant_industry',
  'register_country',
  'register_address',
  'site_infos',
  'secondary_merchant_type',
  'registration_no',
  'shareholder_name',
  'shareholder_id',
  'representative_name',
  'representative_id',
  'settlement_no',
  'contact_no',
  'contact_email',
  'cs_no',
  'cs_email',
];

function failure(ctx: SandboxContext, req: CheckedRequest, code: string, des: string): string {
  const fields: Array<[string, string]> = [
    ['result_code', code],
    ['detail_error_des', des],
  ];
  if (req.params.secondary_merchant_id) fields.push(['secondary_merchant_id', req.params.secondary_merchant_id]);
  return signedReply(ctx, req, 'secmerchant', fields);
}

/** §11 decision: missing, malformed, or more than 30 minutes away from the sandbox clock. */
function timestampProblem(ctx: SandboxContext, ts: string | undefined): string | undefined {
  if (!ts) return 'timestamp is required';
  const at = parseGmt8(ts);
  if (at === undefined) return 'timestamp must be yyyy-MM-dd HH:mm:ss (GMT+8)';
  if (Math.abs(ctx.clock.now() - at) > HALF_HOUR) return 'timestamp is more than 30 minutes away from the gateway time';
  return undefined;
}

function siteInfosProblem(raw: string): string | undefined {
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return 'site_infos must be a JSON array';
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > 5) return 'site_infos must hold 1 to 5 entries';
  for (const e of list) {
    const o = e as Record<string, unknown>;
    if (
      typeof o !== 'object' ||
      o === null ||
      (o.site_type !== 'WEB' && o.site_type !== 'APP') ||
      typeof o.site_url !== 'string' ||
      o.site_url === ''
    ) {
      return 'each site_infos entry needs site_type WEB or APP and a site_url';
    }
  }
  return undefined;
}

/** Answer alipay.overseas.secmerchant.online.maintain. */
export function secmerchantMaintain(ctx: SandboxContext, req: CheckedRequest): string {
  const p = req.params;
  const ts = timestampProblem(ctx, p.timestamp);
  if (ts) return failure(ctx, req, 'PARAM_ILLEGAL', ts);
  for (const k of [
    'secondary_merchant_name',
    'secondary_merchant_id',
    'secondary_merchant_industry',
    'register_country',
    'register_address',
    'site_infos',
  ]) {
    if (!p[k]) return failure(ctx, req, 'PARAM_ILLEGAL', `${k} is required`);
  }
  // §11.1 String(n) limits; a non-ASCII character counts 2 (§3.2 "at most 128 Chinese characters").
  if (!fitsWidth(p.secondary_merchant_name, 64))
    return failure(
      ctx,
      req,
      'PARAM_ILLEGAL',
      'secondary_merchant_name is longer than String(64) (a non-ASCII character counts 2)',
    );
  if (!/^[A-Za-z0-9_]{1,64}$/.test(p.secondary_merchant_id!))
    return failure(ctx, req, 'PARAM_ILLEGAL', 'secondary_merchant_id allows letters, digits and _ only');
  if (!/^[0-9]{4}$/.test(p.secondary_merchant_industry!))
    return failure(ctx, req, 'PARAM_ILLEGAL', 'secondary_merchant_industry must be a 4-digit MCC');
  if (!/^[A-Z]{2}$/.test(p.register_country!))
    return failure(ctx, req, 'PARAM_ILLEGAL', 'register_country must be ISO 3166 alpha-2');
  if (!fitsWidth(p.register_address, 256))
    return failure(
      ctx,
      req,
      'PARAM_ILLEGAL',
      'register_address is longer than String(256) (a non-ASCII character counts 2)',
    );
  const sites = siteInfosProblem(p.site_infos!);
  if (sites) return failure(ctx, req, 'PARAM_ILLEGAL', sites);
  if (
    p.secondary_merchant_type !== undefined &&
    p.secondary_merchant_type !== 'INDIVIDUAL' &&
    p.secondary_merchant_type !== 'ENTERPRISE'
  ) {
    return failure(ctx, req, 'PARAM_ILLEGAL', 'secondary_merchant_type must be INDIVIDUAL or ENTERPRISE');
  }
  const fields: Record<string, string> = {};
  for (const k of MAINTAIN_FIELDS) if (p[k] !== undefined) fields[k] = p[k]!;
  ctx.secmerchants.upsert(
    req.partner,
    p.secondary_merchant_id!,
    p.secondary_merchant_name!,
    JSON.stringify(fields),
    ctx.clock.now(),
  );
  ctx.log(`secmerchant ${req.partner}/${p.secondary_merchant_id} registered (PENDING)`);
  return signedReply(ctx, req, 'secmerchant', [
    ['result_code', 'SUCCESS'],
    ['secondary_merchant_id', p.secondary_merchant_id!],
    ['payment_method', 'ONLINE_PAYMENT'],
  ]);
}

/** Answer alipay.overseas.secmerchant.maintain.queryStatus. */
export function secmerchantQueryStatus(ctx: SandboxContext, req: CheckedRequest): string {
  const p = req.params;
  const ts = timestampProblem(ctx, p.timestamp);
  if (ts) return failure(ctx, req, 'PARAM_ILLEGAL', ts);
  if (!p.secondary_merchant_id) return failure(ctx, req, 'PARAM_ILLEGAL', 'secondary_merchant_id is required');
  if (!fitsWidth(p.secondary_merchant_id, 64))
    return failure(ctx, req, 'PARAM_ILLEGAL', 'secondary_merchant_id is longer than String(64)');
  // §11.2: ONLINE_PAYMENT for this product; INSTORE_PAYMENT + store_id is the in-store variant.
  // Its parameters are accepted as core sends them, but in-store registrations belong to another
  // service (offline maintain) that this product does not have, so none ever exists here.
  if (p.payment_method === 'INSTORE_PAYMENT') {
    if (!p.store_id)
      return failure(ctx, req, 'PARAM_ILLEGAL', 'store_id is required with payment_method INSTORE_PAYMENT');
    return failure(
      ctx,
      req,
      'DATA_NOT_EXIST',
      'no in-store registration: this sandbox registers ONLINE_PAYMENT secondary merchants only',
    );
  }
  if (p.payment_method !== 'ONLINE_PAYMENT')
    return failure(ctx, req, 'PARAM_ILLEGAL', 'payment_method must be ONLINE_PAYMENT or INSTORE_PAYMENT');
  const row = ctx.secmerchants.get(req.partner, p.secondary_merchant_id);
  if (!row) return failure(ctx, req, 'DATA_NOT_EXIST', 'secondary merchant not found');
  return signedReply(ctx, req, 'secmerchant', [
    ['result_code', 'SUCCESS'],
    ['secondary_merchant_id', row.id],
    ['payment_method', 'ONLINE_PAYMENT'],
    ['status', row.status],
    ['reject_reason', row.status === 'FAILED' ? (row.reject_reason ?? 'High risk merchant, registration reject.') : ''],
  ]);
}
