/**
 * The notification queue's interface, apart from its implementation (`notifier.ts`) so that the
 * sandbox context can name it without an import cycle.
 *
 * @module
 */
import type { NotificationRow } from '../store/notifications.js';

/** What to notify. */
export interface NotificationInput {
  partner: string;
  notify_type: NotificationRow['notify_type'];
  out_trade_no: string;
  out_return_no: string | null;
  notify_url: string;
  charset: string;
  sign_type: string;
  fields: Array<[string, string]>;
}

/** The queue's operations. */
export interface Notifier {
  /** Queue a notification; its first send is due now (or held by the out-of-order fault). Returns its id. */
  enqueue(input: NotificationInput): number;
  /** Deliver everything due (plus held) now and wait for it. */
  flush(): Promise<void>;
  /** Advance the clock by `ms`, running each send when it falls due. */
  advance(ms: number): Promise<void>;
  /** Arm the timer from the stored queue (used at start-up). */
  start(): void;
  /** Disarm timers and wait for sends in flight. */
  stop(): Promise<void>;
}
