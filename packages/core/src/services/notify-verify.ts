/**
 * `notify_verify`: ask the gateway whether it issued a `notify_id` (protocol §7). Sent
 * unsigned with exactly `service`, `partner`, `notify_id` (§7 decision); the answer is
 * `text/plain` `true` / `false` / `invalid`.
 *
 * @module
 */
import { checkCommon, readParams, required, type ValidateOptions } from '../lib/validate.js';

/** Request parameters of `notify_verify` (§7). */
export interface NotifyVerifyParams {
  service?: 'notify_verify';
  partner: string;
  /** Opaque: its length and alphabet are never checked (§4 decision). */
  notify_id: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
}

/** What the gateway answered: `true` confirms; anything else does not (§7 decision). */
export type NotifyVerifyAnswer = 'true' | 'false' | 'invalid' | 'other';

/**
 * Validate `notify_verify` parameters: `partner` and a non-empty `notify_id`.
 *
 * @example
 * ```ts
 * validateNotifyVerify({ partner: '2088101122136241', notify_id: 'abcdefghijklmnopqrst' })
 * ```
 */
export function validateNotifyVerify(params: NotifyVerifyParams, _options: ValidateOptions = {}): NotifyVerifyParams {
  const p = readParams(params, 'notify_verify');
  checkCommon(p, 'notify_verify');
  required(p, 'notify_id');
  return p as unknown as NotifyVerifyParams;
}

/**
 * Read a `notify_verify` body. Only `true` (surrounding whitespace ignored) confirms (§7
 * decision); `false` and `invalid` are named, anything else is `'other'`.
 *
 * @example
 * ```ts
 * readNotifyVerifyResponse('true\n') // 'true'
 * readNotifyVerifyResponse('<html>…') // 'other'
 * ```
 */
export function readNotifyVerifyResponse(body: unknown): NotifyVerifyAnswer {
  if (typeof body !== 'string') return 'other';
  const t = body.trim();
  return t === 'true' || t === 'false' || t === 'invalid' ? t : 'other';
}
