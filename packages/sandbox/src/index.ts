/**
 * `@alipay-kit/sandbox`: a local, stateful Alipay "New Cross-border Website Payment" gateway
 * (`gateway.do`) that speaks the protocol as `alipay-protocol.md` documents it: signature and
 * parameter checks with the real error codes, a cashier for a test buyer, notifications on the
 * real retry schedule, refunds, files, secondary merchants, fault injection and a dashboard.
 *
 * @packageDocumentation
 */
export { createSandbox } from './sandbox.js';
export { DEFAULT_RATES } from './rates.js';
export { RETRY_GAPS_MS, MAX_SENDS } from './notify/schedule.js';
export type {
  FaultConfig,
  FaultScope,
  GatewaySnapshot,
  InboundSignType,
  MerchantConfig,
  NotificationAttempt,
  NotificationFilter,
  SandboxNotificationRecord,
  SandboxRefundRecord,
  RefundThrottle,
  Sandbox,
  SandboxControl,
  SandboxOptions,
  SecmerchantRecord,
  SecmerchantStatus,
  SimulatePaymentResult,
  TradeRecord,
  SandboxTradeStatus,
} from './types.js';
