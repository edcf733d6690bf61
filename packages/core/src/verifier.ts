/**
 * The pluggable signature check (protocol §2.4, §2.5): verification with the merchant's
 * configured algorithm and key already bound in. Core's verify-then-parse functions accept one
 * in place of raw keys, so that another crypto backend (server-kit's node:crypto verifier, with
 * DSA and native MD5) runs the same rules around its own primitive.
 *
 * @module
 */
import type { VerifyKeys } from './verify.js';

/**
 * Checks `sign` in a received parameter map. Resolves `true` only when it verifies with the
 * configured sign type; never rejects for a bad payload (fails closed).
 *
 * @example
 * ```ts
 * const verifier: Verifier = { verify: (params) => verifyParams(params, { md5Key }, { signType: 'MD5' }) }
 * await verifyNotification(params, verifier, { expect: 'notification' })
 * ```
 */
export interface Verifier {
  verify(params: Record<string, string>): Promise<boolean>;
}

/**
 * True when `x` is a {@link Verifier} rather than {@link VerifyKeys}.
 *
 * @example
 * ```ts
 * isVerifier({ md5Key }) // false
 * isVerifier({ verify: async () => false }) // true
 * ```
 */
export function isVerifier(x: VerifyKeys | Verifier | null | undefined): x is Verifier {
  return typeof x === 'object' && x !== null && typeof (x as Verifier).verify === 'function';
}
