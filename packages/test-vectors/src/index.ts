/**
 * `@alipay-kit/test-vectors` (private, test-only): the protocol §2.7 signing vectors and the
 * published test keys they were made with, held once for every package's tests, plus the
 * Signer / Verifier contract suite (`@alipay-kit/test-vectors/contract`). Browser-safe: no Node
 * built-ins, so core's browser run imports the same module.
 *
 * @packageDocumentation
 */
export * from './vectors.js';
export * from './keys.js';
