/**
 * `forex_compare_file` (transactions) and `forex_liquidation_file` (settlements), §8. Date
 * checks in the §8.3 decided order, each answered `text/plain` with the `File download failed:`
 * prefix; records generated from the sandbox's own trades and refunds; CRLF after every line.
 * Layout: the legacy 9 columns of §8.4 (default) or the wide §9.3 columns with a header line.
 *
 * @module
 */
import { foreignToCny } from '@alipay-kit/core';
import type { SandboxContext } from '../context.js';
import type { CheckedRequest } from '../gateway/checks.js';
import { formatRate, outAmount, outCny, percentOf } from '../lib/amounts.js';
import { beijingDate, formatCompact, formatGmt8, parseBeijingDate } from '../lib/time.js';

const DAY = 86_400_000;
const CRLF = '\r\n';
/** Service charge in basis points (1%: fits the Kaligo sample 2125.25 → 21.25, §8.4). */
const FEE_BP = 100;

/**
 * The wide header: every §9.3 settlement column in the sample's order, then §9.2's optional
 * `Original_partner_transaction_ID` (the paid order's `out_trade_no` on refund rows, §6.8), whose
 * place after the documented columns the document could not recover, so it comes last.
 */
export const WIDE_HEADER =
  'Partner_transaction_id|Transaction_id|Amount|Rmb_amount|Fee|Settlement|Rmb_settlement|Currency|Rate|Payment_time|Settlement_time|Type|Status|Remarks' +
  '|Secondary_merchant_industry|Secondary_merchant_name|Operator_name|Order_scene|Trans_currency|Trans_amount|Trans_forex_rate|Original_partner_transaction_ID';

interface FileRow {
  id: string;
  tradeNo: string;
  foreign: number;
  cny: number;
  currency: string;
  rate: string;
  at: number;
  settledAt: number | null;
  type: 'P' | 'R';
  remarks: string;
  /** The payment's out_trade_no on refund rows (§6.8), '' on payments. */
  original: string;
  secIndustry: string;
  secName: string;
}

function clean(text: string): string {
  return text.replace(/[|\r\n]/g, ' ');
}

function fail(sentence: string): string {
  return `File download failed:${sentence}`;
}

/** Answer a checked file request; always plain text. */
export function forexFile(ctx: SandboxContext, req: CheckedRequest): string {
  const { start_date: start, end_date: end } = req.params;
  if (!start || !end) return fail('Illegal Date period!');
  const startMs = parseBeijingDate(start);
  const endMs = parseBeijingDate(end);
  if (startMs === undefined || endMs === undefined) return fail('Date format incorrect YYYYMMDD');
  if (endMs < startMs) return fail('Finish date ahead of begin date');
  const today = beijingDate(ctx.clock.now());
  if (end >= today) return fail('Finish date not ahead of today');
  // §8.2: reject when end - start > 9 days (10 inclusive days), configurable.
  if (Math.round((endMs - startMs) / DAY) > ctx.fileMaxRangeDays - 1) return fail('Over 10 days to Date period');
  const from = startMs;
  const to = endMs + DAY;
  const liquidation = req.service === 'forex_liquidation_file';
  const rows = collectRows(ctx, req.partner).filter((r) => {
    const t = liquidation ? r.settledAt : r.at;
    return t !== null && t >= from && t < to;
  });
  if (rows.length === 0) return fail('No balance account data in the period');
  rows.sort((a, b) => (liquidation ? a.settledAt! - b.settledAt! : a.at - b.at));
  const lines = req.merchant.fileLayout === 'wide' ? [WIDE_HEADER, ...rows.map(wideLine)] : rows.map(legacyLine);
  return lines.map((l) => l + CRLF).join('');
}

function collectRows(ctx: SandboxContext, partner: string): FileRow[] {
  const trades = ctx.trades.all(partner);
  const byNo = new Map(trades.map((t) => [t.trade_no, t]));
  const rows: FileRow[] = [];
  for (const t of trades) {
    if (t.status !== 'TRADE_FINISHED' || t.paid_at === null) continue;
    const sec = { secIndustry: t.secondary_merchant_industry ?? '', secName: t.secondary_merchant_name ?? '' };
    rows.push({
      id: t.out_trade_no,
      tradeNo: t.trade_no,
      foreign: t.foreign_minor,
      cny: t.cny_cents,
      currency: t.currency,
      rate: t.rate,
      at: t.paid_at,
      settledAt: t.settled_at,
      type: 'P',
      remarks: t.subject,
      original: '',
      ...sec,
    });
  }
  for (const r of ctx.refunds.all(partner)) {
    if (r.status !== 'REFUND_SUCCESS') continue;
    const t = byNo.get(r.trade_no);
    rows.push({
      id: r.out_return_no,
      tradeNo: r.trade_no,
      foreign: r.foreign_minor,
      cny: r.cny_cents,
      currency: t?.currency ?? r.currency,
      rate: t?.rate ?? '1',
      at: r.created_at,
      settledAt: r.settled_at,
      type: 'R',
      remarks: t?.subject ?? '',
      original: r.out_trade_no,
      secIndustry: t?.secondary_merchant_industry ?? '',
      secName: t?.secondary_merchant_name ?? '',
    });
  }
  return rows;
}

function fee(r: FileRow): number {
  return r.type === 'P' ? percentOf(r.foreign, FEE_BP) : 0;
}

/** §8.4: partner_transaction_id|amount|currency|time|settlement time|type|fee|status|remarks. */
function legacyLine(r: FileRow): string {
  return [
    clean(r.id),
    outAmount(r.foreign, r.currency),
    r.currency,
    formatCompact(r.at),
    r.settledAt === null ? '' : formatCompact(r.settledAt),
    r.type,
    outAmount(fee(r), r.currency),
    r.settledAt === null ? 'P' : 'L',
    clean(r.remarks),
  ].join('|');
}

/**
 * §9.3 columns; Settlement = Amount − Fee, Rmb_* ≈ × Rate. A web payment has no operator and no
 * QR order scene (empty), and is transacted in its settlement currency (Trans_* = the row's
 * currency and amount, Trans_forex_rate 1, as in the §9.3 sample).
 */
function wideLine(r: FileRow): string {
  const f = fee(r);
  const settlement = r.foreign - f;
  return [
    clean(r.id),
    r.tradeNo,
    outAmount(r.foreign, r.currency),
    outCny(r.cny),
    outAmount(f, r.currency),
    outAmount(settlement, r.currency),
    outCny(foreignToCny(settlement, r.currency, r.rate)),
    r.currency,
    formatRate(r.rate, 8),
    formatGmt8(r.at),
    r.settledAt === null ? '' : formatGmt8(r.settledAt),
    r.type,
    r.settledAt === null ? 'P' : 'L',
    clean(r.remarks),
    clean(r.secIndustry),
    clean(r.secName),
    '',
    '',
    r.currency,
    outAmount(r.foreign, r.currency),
    '1',
    clean(r.original),
  ].join('|');
}
