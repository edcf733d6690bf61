/**
 * Verifying the signed `<response>` of a gateway XML reply (protocol §2.5).
 *
 * @module
 */
import { buildPreSignString } from '../presign.js';
import { verifyPreSignString, type VerifyKeys, type VerifyOptions } from '../verify.js';
import { isVerifier, type Verifier } from '../verifier.js';
import type { GatewayXmlResult } from './parse.js';

/**
 * The pre-sign string of a reply's `<response>` object (§2.5): its leaf children as
 * `name=text` through §2.1. `undefined` when the reply has no `<response>`.
 *
 * @example
 * ```ts
 * buildResponsePreSignString(parseGatewayXml(xml)) // 'buyer_email=…&buyer_id=…&…&use_coupon=F'
 * ```
 */
export function buildResponsePreSignString(result: GatewayXmlResult): string | undefined {
  if (!result.response) return undefined;
  return buildPreSignString(result.response.fields);
}

/**
 * Verify a parsed reply (§2.5 decision). Resolves:
 * - `true` when there is no `<response>`: nothing is signed (refund success, any failure);
 * - `false` when there is a `<response>` but no `<sign>`, or the signature does not verify;
 * - `true` when `<sign>` verifies over the children of the single `<response>` object.
 *
 * The algorithm is `options.signType` (the merchant's configuration); only when it is
 * omitted does the reply's `<sign_type>` choose, among the algorithms a key was given for.
 * The bytes use `options.charset` (the client's configured charset), whatever the XML
 * declaration says. A {@link Verifier} given in place of the keys checks the `<response>`
 * fields plus `sign` with its own configured type and charset. Never rejects for a bad
 * payload; rejects with `AlipayKeyError` for unusable key material (a configuration error).
 *
 * @example
 * ```ts
 * const result = parseGatewayXml(body)
 * if (!(await verifyGatewayXml(result, { md5Key }, { signType: 'MD5' }))) throw new Error('forged reply')
 * ```
 */
export async function verifyGatewayXml(
  result: GatewayXmlResult,
  keys: VerifyKeys | Verifier,
  options: VerifyOptions = {},
): Promise<boolean> {
  if (typeof result !== 'object' || result === null) return false;
  if (!result.response) return true;
  const sign = result.sign;
  if (typeof sign !== 'string' || sign === '') return false;
  if (typeof keys !== 'object' || keys === null) return false;
  if (isVerifier(keys)) return keys.verify({ ...result.response.fields, sign });
  let preSign: string;
  try {
    preSign = buildPreSignString(result.response.fields);
  } catch {
    return false;
  }
  return verifyPreSignString(preSign, sign, options.signType ?? result.sign_type, keys, options.charset ?? 'utf-8');
}
