/**
 * Every string the element shows. Each can be overridden through the `messages` property.
 *
 * @example
 * ```ts
 * el.messages = { label: 'Checkout with Alipay', paid: 'Thank you!' };
 * ```
 */
export interface Messages {
  /** The pay button's label (the `label` attribute overrides it too). */
  label: string;
  loading: string;
  redirecting: string;
  verifying: string;
  paid: string;
  pending: string;
  failed: string;
  error: string;
  /** The retry button in the error state. */
  retry: string;
  /** The retry button in the pending state: ask the server again. */
  check: string;
}

/** English, the last link of every fallback chain. */
export const en: Messages = {
  label: 'Pay with Alipay',
  loading: 'Contacting Alipay…',
  redirecting: 'Redirecting to Alipay…',
  verifying: 'Confirming your payment…',
  paid: 'Payment complete',
  pending: 'Payment processing. We’ll confirm it soon.',
  failed: 'Payment not completed',
  error: 'Something went wrong',
  retry: 'Try again',
  check: 'Check again',
};
