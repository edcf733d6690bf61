/**
 * The state every part of the sandbox shares, resolved once from {@link SandboxOptions}.
 *
 * @module
 */
import type { Charset } from '@alipay-kit/core';
import type { Clock } from './clock.js';
import type { SandboxSigner } from './crypto/signer.js';
import type { MerchantKeys } from './crypto/verify.js';
import type { FaultRegistry } from './faults.js';
import type { Notifier } from './notify/queue-types.js';
import type { NotificationStore } from './store/notifications.js';
import type { RefundStore } from './store/refunds.js';
import type { SecmerchantStore } from './store/secmerchants.js';
import type { TradeStore } from './store/trades.js';
import type { MerchantConfig } from './types.js';

/** A merchant with its keys imported and its defaults applied. */
export interface MerchantEntry {
  config: MerchantConfig;
  keys: MerchantKeys;
  name: string;
  currencies: Set<string>;
  timeoutRules: Set<string>;
  refundWindowDays: number;
  fileLayout: 'legacy' | 'wide';
}

/** Shared sandbox state. */
export interface SandboxContext {
  merchants: Map<string, MerchantEntry>;
  rates: Record<string, string>;
  timeScale: number;
  clock: Clock;
  trades: TradeStore;
  refunds: RefundStore;
  notifications: NotificationStore;
  secmerchants: SecmerchantStore;
  signer: SandboxSigner;
  faults: FaultRegistry;
  notifier: Notifier;
  publicKey: string;
  publicBaseUrl: string;
  notifyVerifyTtlMs: number;
  notifyTimeoutMs: number;
  extendedNotificationFields: boolean;
  notifyOnClose: boolean;
  fileMaxRangeDays: number;
  /** §4 lenient acknowledgement (trimmed, case-insensitive `success`). */
  lenientAcknowledgement: boolean;
  /** §6.3 refund throttle, resolved; `undefined` when off. */
  refundThrottle: { intervalMs: number; per: 'partner' | 'trade' } | undefined;
  fetch: typeof fetch;
  log(line: string): void;
}

/** A signing context taken from an originating request (§2.1 step 6, §2.3). */
export interface SignContext {
  charset: Charset;
  signType: string;
}
