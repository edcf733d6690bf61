/**
 * The merchant name the cashier shows the buyer: as the merchant sent it. §3.2 `supplier` is
 * the "seller name shown on the cashier"; an institution's secondary merchant (§11) comes next;
 * the partner's configured name last.
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import type { PendingOrder } from '../services/create-trade.js';

/** The name shown as "Merchant" on the cashier. */
export function cashierMerchantName(
  ctx: SandboxContext,
  order: Pick<PendingOrder, 'partner' | 'supplier' | 'secondary_merchant_name'>,
): string {
  return order.supplier || order.secondary_merchant_name || ctx.merchants.get(order.partner)?.name || order.partner;
}

/** The partner as configured, for testers: `Name (2088…)`. */
export function partnerLabel(ctx: SandboxContext, partner: string): string {
  const name = ctx.merchants.get(partner)?.name;
  return name ? `${name} (${partner})` : partner;
}
