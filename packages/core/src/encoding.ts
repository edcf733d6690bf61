/**
 * `@alipay-kit/core/encoding`: the byte-level tier under the protocol (issue #16 point 6). Charset
 * codecs (UTF-8, GBK), percent-encoding and form bodies (§1.4), base64, a timing-safe string
 * compare, and the gateway's service registry (§1.2). The root entry uses these; a merchant
 * rarely needs them, an implementer of a `Signer`, a gateway double or a proxy does.
 *
 * @example
 * ```ts
 * import { encodeForm, parseForm } from '@alipay-kit/core/encoding';
 *
 * const body = encodeForm({ notify_id: 'abc', out_trade_no: 'A1' }); // 'notify_id=abc&out_trade_no=A1'
 * parseForm(body).params.out_trade_no; // 'A1'
 * ```
 *
 * @packageDocumentation
 */
export {
  normalizeCharset,
  charsetWireName,
  encodeText,
  decodeText,
  isEncodable,
  type Charset,
  type UnencodablePolicy,
} from './charset.js';
export { percentEncode, percentDecode, encodeForm, parseForm, parseFormPairs, sniffInputCharset } from './form.js';
export { bytesToBase64, base64ToBytes, timingSafeEqual } from './lib/bytes.js';
export {
  SERVICE_NAMES,
  SERVICE_REGISTRY,
  getServiceInfo,
  isInputCharsetAllowed,
  type ServiceName,
  type ServiceInfo,
} from './services/registry.js';
