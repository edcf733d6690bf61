/**
 * `@alipay-kit/server-kit`: the Node side of alipay-kit — request signing, the gateway client,
 * the order ledger, the Express router and reconciliation.
 *
 * @packageDocumentation
 */
export { createSigner, type Signer, type SignerConfig, type SignerSignType } from './signer.js';
export { createVerifier, type Verifier, type VerifierConfig } from './verifier.js';
export { createGatewayClient, GATEWAYS, type GatewayClient, type GatewayClientConfig } from './client/create-gateway-client.js';
export type { PaymentOrder, PaymentForm, PaymentVariant } from './client/payment.js';
export type { QueriedTrade, QueryParams } from './client/query.js';
export type { RefundParams, RefundResult } from './client/refund.js';
export type { FileRange, FileOptions, FileResult } from './client/files.js';
export type { SecmerchantMaintainParams, SecmerchantResult } from './client/secmerchant.js';
export type { TransactionRow, RateRow, ProgressCallback } from './client/files.js';
export type { RetryOptions } from './lib/http.js';
export type { Logger } from './lib/logger.js';
export { createSqliteLedger, type SqliteLedgerOptions } from './ledger/sqlite.js';
export { createPostgresLedger, type PostgresLedger, type PostgresLedgerOptions } from './ledger/postgres.js';
export { createLedgerFromUrl, type LedgerFromUrlOptions } from './ledger/from-url.js';
export type * from './ledger/types.js';
export { PAID_ORDER_STATES, OPEN_REFUND_STATES, REJECTION_RING_SIZE } from './ledger/types.js';
export { alipayRouter, type AlipayRouter } from './express/router.js';
export type { DrainHooksResult } from './express/context.js';
export type { SyncPendingOrdersOptions, SyncPendingOrdersResult, ResolvePendingRefundsOptions, ResolvePendingRefundsResult } from './express/sweeper.js';
export type { AlipayRouterOptions, ResolvedOrder, ResolvedPaymentParams, AuthorizeResult } from './express/options.js';
export { syncOrderWithGateway, type SyncOrderOptions, type SyncOrderResult, type SyncOrderHooks, type SyncOutcome } from './express/sync.js';
export type { PublicOrder } from './express/orders.js';
export { HookBusyError } from './express/context.js';
export { NotificationRejectedError, type NotificationRejectionCode } from './express/notify-body.js';
export type { RouterErrorCode } from './express/errors.js';
export { reconcile, type ReconcileOptions, type ReconcileReport, type ReconcileMismatch, type SettlementTotal, type RefundReconciliation } from './reconcile.js';
export { AlipayDownloadInterruptedError } from './client/files.js';
