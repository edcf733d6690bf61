/**
 * `@alipay-kit/core`: the Alipay "New Cross-border Website Payment" (mapi `gateway.do`) protocol,
 * byte-exact, for Node and the browser. Pure functions: no I/O, no clock, no Node built-ins.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export { buildPreSignString, type PreSignValue } from './presign.js';
export { normalizeCharset, charsetWireName, encodeText, decodeText, isEncodable, type Charset, type UnencodablePolicy } from './charset.js';
export { percentEncode, percentDecode, encodeForm, parseForm, parseFormPairs, sniffInputCharset } from './form.js';
export { md5Sign, md5SignString, md5VerifyString, type Md5SignOptions } from './md5.js';
export { inspectKey, publicKeyToSpki, type KeyInfo, type KeyKind } from './keys.js';
export { importRsaPublicKey, rsaVerifyString, type RsaSignType } from './rsa.js';
export { verifyParams, type SignType, type VerifyKeys, type VerifyOptions } from './verify.js';
export * from './money.js';
export { bytesToBase64, base64ToBytes, timingSafeEqual } from './lib/bytes.js';
