/**
 * What the demo needs from the payment side, in one interface. `alipay.ts` implements it with
 * `@alipay-kit/server-kit` (client, ledger, router); the rest of the demo (admin API, storefront
 * endpoints) only talks to this. Refunds go straight to the router's `POST /refunds` (guarded by
 * the admin session through its `authorize` hook).
 */
import type { AlipayRouter } from '@alipay-kit/server-kit';
import type {
  AdminOrderDetail,
  AdminOrderSummary,
  AdminRates,
  AdminRefund,
  AdminRejections,
  ReconReport,
} from './admin-types.js';

export interface ShopBackend {
  /** The server-kit router, mounted at `/api/alipay`. */
  router: AlipayRouter;
  orders(): Promise<AdminOrderSummary[]>;
  order(outTradeNo: string): Promise<AdminOrderDetail | undefined>;
  /** Every refund of every order, newest first. */
  refunds(): Promise<AdminRefund[]>;
  /** Notifications that failed verification: how many, and the last few. */
  rejections(): Promise<AdminRejections>;
  /**
   * Today at the gateway, a Beijing `YYYYMMDD` (the sandbox's clock, or the shop's in live mode):
   * transaction files exist for the days before it (§8.2).
   */
  gatewayToday(): string;
  /** `from`/`to` as YYYY-MM-DD, Beijing dates. */
  reconcile(from: string, to: string): Promise<ReconReport>;
  rates(): Promise<AdminRates>;
  /** Stop the router's sweeper, then close the ledger. */
  close(): Promise<void>;
}

/** An error the admin API turns into a 4xx with a stable code. */
export class DemoError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}
