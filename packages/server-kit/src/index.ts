/**
 * `@alipay-kit/server-kit`: the Node side of alipay-kit — request signing, the gateway client,
 * the order ledger, the HTTP API (Express router and Fetch handler), reconciliation, and core's
 * error classes.
 *
 * @packageDocumentation
 */
export { createSigner, type NodeSigner, type SignerConfig, type SignerSignType } from './signer.js';
export { createVerifier, type NodeVerifier, type VerifierConfig } from './verifier.js';
export {
  createGatewayClient,
  GATEWAYS,
  type GatewayClient,
  type GatewayClientConfig,
} from './client/create-gateway-client.js';
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
export {
  alipayFetchHandler,
  type AlipayFetchHandler,
  type AlipayFetchHandlerOptions,
  type AlipayFetchHookRequest,
} from './fetch/handler.js';
export type { AlipayControls, AlipayRefundInput } from './routes/api.js';
export {
  refundThroughLedger,
  type RefundThroughLedgerOptions,
  type RefundThroughLedgerResult,
} from './routes/refund-through-ledger.js';
export type { DrainHooksResult } from './routes/context.js';
export type {
  SyncPendingOrdersOptions,
  SyncPendingOrdersResult,
  ResolvePendingRefundsOptions,
  ResolvePendingRefundsResult,
} from './routes/sweeper.js';
export type {
  AlipayRouterOptions,
  AlipayHookRequest,
  ResolvedOrder,
  ResolvedPaymentParams,
  AuthorizeResult,
} from './routes/options.js';
export {
  syncOrderWithGateway,
  type SyncOrderOptions,
  type SyncOrderResult,
  type SyncOrderHooks,
  type SyncOutcome,
} from './routes/sync.js';
export type { PublicOrder } from './routes/orders.js';
export { HookBusyError } from './routes/context.js';
export { NotificationRejectedError, type NotificationRejectionCode } from './routes/notify-errors.js';
export type { RouterErrorCode } from './routes/errors.js';
// core's error classes, so that a merchant catches errors without installing @alipay-kit/core
export {
  AlipayError,
  AlipayValidationError,
  AlipayCharsetError,
  AlipayKeyError,
  AlipaySignatureError,
  AlipayGatewayError,
  AlipayResponseError,
  AlipayFileError,
  AlipayNotificationError,
  AlipayTransportError,
  AlipayLedgerError,
  isAlipayError,
  type AlipayErrorCode,
  type AlipayErrorOptions,
  type ValidationErrorCode,
  type CharsetErrorCode,
  type KeyErrorCode,
  type SignatureErrorCode,
  type GatewayErrorCode,
  type ResponseErrorCode,
  type FileErrorCode,
  type NotificationErrorCode,
  type TransportErrorCode,
  type LedgerErrorCode,
} from '@alipay-kit/core';
export {
  reconcile,
  type ReconcileOptions,
  type ReconcileReport,
  type ReconcileMismatch,
  type SettlementTotal,
  type RefundReconciliation,
} from './reconcile.js';
export {
  reconcileStream,
  reconcileDifferences,
  writeReconcileDifferences,
  reportDifferences,
  type ReconcileStreamOptions,
  type ReconcileDifference,
  type ReconcileSummary,
  type DifferenceFormat,
  type DifferenceSink,
} from './reconcile.js';
export { AlipayDownloadInterruptedError } from './client/files.js';
