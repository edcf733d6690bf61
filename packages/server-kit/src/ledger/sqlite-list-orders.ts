/**
 * The SQLite ledger's `listOrders` statement. The statuses are bound one parameter each
 * (`status IN (@s0, @s1…)`), not read from one JSON array: with `json_each` SQLite cannot tell
 * how selective the list is and walks the whole table in `created_at` order (the index that
 * spares it a sort) rather than search the paid-range index, so reconciliation's query for late
 * payments of one day read every order of the file (0.3 s at a million orders, to return none).
 *
 * @module
 */
import type { OrderFilter } from './types.js';

/**
 * The statement and named parameters listing the orders that match `f`, oldest first.
 *
 * @example
 * ```ts
 * const { sql, args } = _sqliteListOrdersQuery({ paidFrom: from, paidTo: to, status: ['paid_after_close'] })
 * db.prepare(sql).all(args)
 * ```
 */
export function _sqliteListOrdersQuery(f: OrderFilter): { sql: string; args: Record<string, string> } {
  const where: string[] = [];
  const args: Record<string, string> = {};
  if (f.paidFrom) (where.push('paid_at >= @pf'), (args.pf = f.paidFrom));
  if (f.paidTo) (where.push('paid_at < @pt'), (args.pt = f.paidTo));
  if (f.createdFrom) (where.push('created_at >= @cf'), (args.cf = f.createdFrom));
  if (f.createdTo) (where.push('created_at < @ct'), (args.ct = f.createdTo));
  if (f.status) {
    const names = f.status.map((status, i) => ((args[`s${i}`] = status), `@s${i}`));
    where.push(`status IN (${names.join(', ')})`);
  }
  return {
    sql: `SELECT * FROM orders ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, out_trade_no`,
    args,
  };
}
