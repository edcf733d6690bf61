/**
 * Which of the ledger's orders paid in the range the compare file lacks, given only the
 * fingerprints of the payment ids the file named (see `id-fingerprints.ts`). Exact:
 * - an order whose fingerprint is not in the set was certainly not in the file;
 * - an order whose fingerprint is in the set and shared by no other listed order was in the file
 *   (every fingerprint in the set came from a listed order that the file named);
 * - orders of the list that share a fingerprint (a 64-bit collision, about one run in 10⁸ at a
 *   million orders) are looked up in the file again by `reread`.
 *
 * @module
 */
import type { OrderRecord } from '../ledger/types.js';
import type { _FingerprintSet } from './id-fingerprints.js';

/** Reads the compare file again and returns which of `ids` it holds as payment rows. */
export type _RereadPayments = (ids: ReadonlySet<string>) => Promise<Set<string>>;

/**
 * The orders of `listed` (the ledger's orders paid in the range) that the file did not name, in
 * `listed` order.
 *
 * @example
 * ```ts
 * const missing = await _ordersMissingInFile(await ledger.listOrders({ paidFrom, paidTo, status }), seen, reread)
 * ```
 */
export async function _ordersMissingInFile(
  listed: readonly OrderRecord[],
  seen: _FingerprintSet,
  reread: _RereadPayments,
): Promise<OrderRecord[]> {
  // Each listed order whose fingerprint was seen, keyed by that fingerprint.
  const byFingerprint = new Map<string, string[]>();
  const absent: ReadonlySet<OrderRecord> = new Set(listed.filter((o) => !seen.has(o.out_trade_no)));
  for (const o of listed) {
    if (absent.has(o)) continue;
    const key = seen.fingerprint(o.out_trade_no).join(':');
    const ids = byFingerprint.get(key);
    if (ids) ids.push(o.out_trade_no);
    else byFingerprint.set(key, [o.out_trade_no]);
  }
  const shared = new Set<string>();
  for (const ids of byFingerprint.values()) if (ids.length > 1) for (const id of ids) shared.add(id);
  const found = shared.size ? await reread(shared) : new Set<string>();
  return listed.filter((o) => absent.has(o) || (shared.has(o.out_trade_no) && !found.has(o.out_trade_no)));
}
