/**
 * `@alipay-kit/server-kit`: the Node side of alipay-kit — request signing, the gateway client,
 * the order ledger, the Express router and reconciliation.
 *
 * @packageDocumentation
 */
export { createSigner, type Signer, type SignerConfig, type SignerSignType } from './signer.js';
