import type { Request } from 'express';
import {
  alipayRouter,
  createGatewayClient,
  createLedgerFromUrl,
  type AlipayRouterOptions,
  type GatewayClientConfig,
} from '@alipay-kit/server-kit';

/** Your keys and addresses, plus the router options only your shop can answer (prices, admin, hooks). */
export interface PaymentsOptions extends Omit<
  AlipayRouterOptions<Request>,
  'client' | 'ledger' | 'notifyUrl' | 'returnUrl'
> {
  gateway: GatewayClientConfig; // { gateway: 'production' | 'sandbox' | URL, partner: '2088…', signType: 'RSA2', privateKey, alipayPublicKey }
  ledgerUrl: string; // 'sqlite:./data/alipay.sqlite' or 'postgres://…' (install better-sqlite3 or pg)
  publicUrl: string; // 'https://shop.example.com': Alipay calls back here
}

/**
 * The whole integration: a gateway client, a ledger and the router to mount at `/api/alipay`.
 *
 * @example app.use('/api/alipay', createPayments({ gateway, ledgerUrl, publicUrl, tokenSecret, resolveOrder, authorize, onPaid }).router);
 */
export function createPayments({ gateway, ledgerUrl, publicUrl, ...shop }: PaymentsOptions) {
  const client = createGatewayClient(gateway);
  const ledger = createLedgerFromUrl(ledgerUrl);
  const router = alipayRouter({
    orderValidSeconds: 3600, // a payment link works for an hour (§3.6)…
    sweepIntervalSeconds: 60, // …then the sweeper closes the abandoned order
    ...shop, // tokenSecret (≥ 32 bytes), resolveOrder (the price, computed here), authorize (guards POST /refunds), onPaid (once per order)
    client,
    ledger,
    notifyUrl: `${publicUrl}/api/alipay/notify`,
    returnUrl: `${publicUrl}/result`,
  });
  return { client, ledger, router };
}
