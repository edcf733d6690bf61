/**
 * Verify-then-parse for notifications and sync returns (protocol §2.4).
 *
 * @module
 */
import { AlipayNotificationError } from '../errors.js';
import { verifyParams, type VerifyKeys, type VerifyOptions } from '../verify.js';
import { isVerifier, type Verifier } from '../verifier.js';
import {
  parseCallback,
  type AlipayCallback,
  type PaymentNotification,
  type RefundNotification,
  type SyncReturn,
} from './parse.js';

/** Options of {@link verifyNotification}. */
export interface VerifyNotificationOptions extends VerifyOptions {
  /**
   * What the handler expects: `'notification'` (payment or refund), `'payment'`, `'refund'`,
   * `'return'`, or `'any'` (default). Anything else arriving is `ERR_NOTIFICATION_INVALID`.
   */
  expect?: 'any' | 'notification' | 'payment' | 'refund' | 'return';
}

type Expected<E> = E extends 'payment'
  ? PaymentNotification
  : E extends 'refund'
    ? RefundNotification
    : E extends 'return'
      ? SyncReturn
      : E extends 'notification'
        ? PaymentNotification | RefundNotification
        : AlipayCallback;

/**
 * Verify `sign` with {@link verifyParams} (configured sign type and charset, §2.4 step 3), or
 * with a {@link Verifier} given in place of the keys (its own sign type and charset; then
 * `signType` and `charset` here are not used), then parse into the typed union. Rejects with `AlipayNotificationError`
 * `ERR_NOTIFICATION_INVALID` when the signature does not verify (the message never holds the
 * sign), when the payload does not parse, or when it is not the expected kind. Unusable key
 * material rejects with `AlipayKeyError` (a configuration error, not a bad payload).
 *
 * Business checks stay with the merchant (§2.4 step 5): the order exists, `total_fee` and
 * `currency` match it, and status changes are applied idempotently.
 *
 * @example
 * ```ts
 * const n = await verifyNotification(parseForm(body).params, { md5Key }, { signType: 'MD5', expect: 'notification' })
 * res.type('text/plain').send('success')
 * // or with a pluggable backend (server-kit's node:crypto verifier):
 * const m = await verifyNotification(params, client.verifier, { expect: 'notification' })
 * ```
 */
export async function verifyNotification<E extends NonNullable<VerifyNotificationOptions['expect']> = 'any'>(
  params: Record<string, string>,
  keys: VerifyKeys | Verifier,
  options: VerifyNotificationOptions & { expect?: E } = {},
): Promise<Expected<E>> {
  const ok = isVerifier(keys) ? await keys.verify(params) : await verifyParams(params, keys, options);
  if (!ok)
    throw new AlipayNotificationError('ERR_NOTIFICATION_INVALID', 'signature does not verify', { field: 'sign' });
  let parsed: AlipayCallback;
  try {
    parsed = parseCallback(params);
  } catch (e) {
    if (e instanceof AlipayNotificationError) throw e;
    throw new AlipayNotificationError('ERR_NOTIFICATION_INVALID', 'payload could not be read', { cause: e });
  }
  const expect = options.expect ?? 'any';
  const fits =
    expect === 'any' ||
    expect === parsed.kind ||
    (expect === 'notification' && (parsed.kind === 'payment' || parsed.kind === 'refund'));
  if (!fits)
    throw new AlipayNotificationError('ERR_NOTIFICATION_INVALID', `expected a ${expect}, got a ${parsed.kind}`, {
      field: 'notify_type',
    });
  return parsed as Expected<E>;
}
