/**
 * server-kit's reconciliation report → the admin's table (one row per file row or ledger entry,
 * totals per currency).
 */
import type { Ledger, ReconcileReport } from '@alipay-kit/server-kit';
import type { ReconReport, ReconRow } from './admin-types.js';
import { formatRequestAmount as fromMinor } from '@alipay-kit/core';

/** server-kit's {@link ReconcileReport} → the admin's table: one row per file row or ledger entry. */
export async function reconReport(r: ReconcileReport, ledger: Ledger, from: string, to: string): Promise<ReconReport> {
  const rows: ReconRow[] = [];
  const totals = new Map<string, { p: number; r: number }>();
  const add = (currency: string, kind: 'p' | 'r', minor: number) => {
    const t = totals.get(currency) ?? { p: 0, r: 0 };
    t[kind] += minor;
    totals.set(currency, t);
  };
  for (const id of r.matched) {
    const o = await ledger.getOrder(id);
    if (!o) continue;
    const amount = fromMinor(o.total_fee_minor ?? 0, o.currency);
    rows.push({
      kind: 'matched',
      type: 'P',
      out_trade_no: id,
      ledger_amount: amount,
      gateway_amount: amount,
      currency: o.currency,
    });
    add(o.currency, 'p', o.total_fee_minor ?? 0);
  }
  for (const id of r.refunds.matched) {
    const f = await ledger.getRefund(id);
    if (!f) continue;
    const amount = fromMinor(f.amount_minor, f.currency);
    rows.push({
      kind: 'matched',
      type: 'R',
      out_trade_no: f.out_trade_no,
      out_return_no: id,
      ledger_amount: amount,
      gateway_amount: amount,
      currency: f.currency,
    });
    add(f.currency, 'r', f.amount_minor);
  }
  for (const m of r.mismatches) {
    rows.push({
      kind: `${m.field}_mismatch`,
      type: m.type,
      ...(m.type === 'P' ? { out_trade_no: m.partner_transaction_id } : { out_return_no: m.partner_transaction_id }),
      note: `file ${m.file}, ledger ${m.ledger}`,
    });
  }
  for (const row of [...r.missingInLedger, ...r.refunds.missingInLedger]) {
    rows.push({
      kind: 'missing_in_ledger',
      type: row.type,
      ...(row.type === 'R'
        ? { out_return_no: row.partner_transaction_id }
        : { out_trade_no: row.partner_transaction_id }),
      gateway_amount: row.amount,
      currency: row.currency,
      note: 'in the gateway file, not in the ledger',
    });
  }
  for (const o of r.missingInFile) {
    rows.push({
      kind: 'missing_in_gateway',
      type: 'P',
      out_trade_no: o.out_trade_no,
      ledger_amount: fromMinor(o.total_fee_minor ?? 0, o.currency),
      currency: o.currency,
      note: 'paid in the ledger, absent from the file',
    });
  }
  for (const f of r.refunds.missingInFile) {
    rows.push({
      kind: 'missing_in_gateway',
      type: 'R',
      out_trade_no: f.out_trade_no,
      out_return_no: f.out_return_no,
      ledger_amount: fromMinor(f.amount_minor, f.currency),
      currency: f.currency,
      note: 'refunded in the ledger, absent from the file',
    });
  }
  const matched = rows.filter((x) => x.kind === 'matched').length;
  return {
    from,
    to,
    generated_at: new Date().toISOString(),
    matched,
    differences: rows.length - matched,
    totals: [...totals].map(([currency, t]) => ({
      currency,
      payments: fromMinor(t.p, currency),
      refunds: fromMinor(t.r, currency),
      net: t.p - t.r >= 0 ? fromMinor(t.p - t.r, currency) : `-${fromMinor(t.r - t.p, currency)}`,
    })),
    rows,
  };
}
