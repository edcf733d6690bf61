/**
 * `@alipay-kit/core`: the Alipay "New Cross-border Website Payment" (mapi `gateway.do`) protocol,
 * byte-exact, for Node and the browser. Pure functions: no I/O, no clock, no Node built-ins.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export { buildPreSignString, type PreSignValue } from './presign.js';
// Charset codecs, percent-encoding and forms, base64, timing-safe compare and the service
// registry are the byte-level tier: `@alipay-kit/core/encoding`. The two types below name
// values that merchant-facing options and results carry.
export type { Charset } from './charset.js';
export type { ServiceName } from './services/registry.js';
export { md5Sign, md5SignString, md5VerifyString, type Md5SignOptions } from './md5.js';
export { checkAlipayPublicKey, inspectKey, publicKeyToSpki, type KeyInfo, type KeyKind } from './keys.js';
export { importRsaPublicKey, importRsaPrivateKey, rsaVerifyString, rsaSignString, type RsaSignType } from './rsa.js';
export {
  verifyParams,
  signedPreSign,
  verifyPreSignString,
  type SignType,
  type VerifyKeys,
  type VerifyOptions,
} from './verify.js';
export {
  isVerifier,
  createVerifier,
  type Verifier,
  type Signer,
  type SignerSignType,
  type CreateVerifierOptions,
} from './verifier.js';
export { createSigner, type AsyncSigner, type CreateSignerOptions } from './signer.js';
export * from './money.js';
export { formatBeijingDate, formatBeijingDateTime, parseBeijingDateTime, normalizeBeijingDate } from './time.js';
// services (one module per gateway service)
export type { ValidateOptions } from './lib/validate.js';
export {
  validateCreateForexTrade,
  TIMEOUT_RULES,
  type CreateForexTradeParams,
  type CreateTradeCommonParams,
} from './services/create-forex-trade.js';
export { validateCreateForexTradeWap, type CreateForexTradeWapParams } from './services/create-forex-trade-wap.js';
export {
  validateForexRefund,
  readForexRefundResponse,
  isGmtReturn,
  FOREX_REFUND_ERROR_CODES,
  type ForexRefundParams,
  type ForexRefundResponse,
} from './services/forex-refund.js';
export {
  validateSingleTradeQuery,
  readTradeQueryResponse,
  type SingleTradeQueryParams,
  type SingleTradeQueryTrade,
  type TradeStatus,
} from './services/single-trade-query.js';
export {
  validateNotifyVerify,
  readNotifyVerifyResponse,
  type NotifyVerifyParams,
  type NotifyVerifyAnswer,
} from './services/notify-verify.js';
export {
  checkFileDateRange,
  FILE_ERROR_SENTENCES,
  FILE_ERROR_PREFIX,
  type FileDateRangeCheck,
  type FileDateRangeOptions,
} from './services/file-date-range.js';
export {
  validateForexCompareFile,
  type ForexCompareFileParams,
  type FileRequestParams,
  type FileRequestValidateOptions,
} from './services/forex-compare-file.js';
export { validateForexLiquidationFile, type ForexLiquidationFileParams } from './services/forex-liquidation-file.js';
export { validateForexRateFile, type ForexRateFileParams } from './services/forex-rate-file.js';
export {
  validateSecmerchantOnlineMaintain,
  type SecmerchantOnlineMaintainParams,
  type SecmerchantOnlineMaintainResponse,
  type SecmerchantValidateOptions,
} from './services/secmerchant-online-maintain.js';
export {
  validateSecmerchantQueryStatus,
  normalizeSecmerchantStatus,
  type SecmerchantQueryStatusParams,
  type SecmerchantQueryStatusResponse,
  type SecmerchantStatus,
} from './services/secmerchant-query-status.js';
// gateway XML
export {
  parseGatewayXml,
  DEFAULT_MAX_XML_BYTES,
  type GatewayXmlResult,
  type GatewayXmlObject,
  type ParseGatewayXmlOptions,
} from './xml/parse.js';
export { verifyGatewayXml, buildResponsePreSignString } from './xml/verify.js';
export { gatewayErrorFrom } from './xml/gateway-error.js';
export { readSecmerchantResult, type SecmerchantResult } from './xml/secmerchant.js';
// notifications and the sync return
export {
  parseNotification,
  parseReturn,
  parseCallback,
  TRADE_STATUSES,
  REFUND_STATUSES,
  type PaymentNotification,
  type RefundNotification,
  type SyncReturn,
  type AlipayCallback,
} from './notification/parse.js';
export { verifyNotification, type VerifyNotificationOptions } from './notification/verify.js';
export { repairReturnSign } from './notification/repair-return-sign.js';
// record and rate files
export type { ByteSource } from './lib/lines.js';
export type { FileParseOptions, FileRecords } from './lib/records.js';
export { classifyFileBody, type FileBodyKind } from './files/classify.js';
export { parseCompareFile, parseLiquidationFile, type CompareFileRow } from './files/compare-file.js';
export { parseRateFile, type RateFileRow } from './files/rate-file.js';
// diagnostics
export {
  explainVerification,
  type ExplainOptions,
  type VerificationCause,
  type VerificationCauseCode,
  type VerificationExplanation,
} from './explain.js';
