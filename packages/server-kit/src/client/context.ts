// Shared state of one gateway client, and the two steps every operation shares: core's validator
// then the signer (`_request`), and the XML exchange verified by core (`_exchangeXml`, §2.5).
import {
  AlipayCharsetError,
  AlipayGatewayError,
  AlipayResponseError,
  AlipaySignatureError,
  parseGatewayXml,
  verifyGatewayXml,
  type Charset,
  type GatewayXmlResult,
  type ServiceName,
} from '@alipay-kit/core';
import { SERVICE_REGISTRY, charsetWireName, encodeForm, isInputCharsetAllowed } from '@alipay-kit/core/encoding';
import type { NodeSigner as Signer } from '../signer.js';
import type { NodeVerifier as Verifier } from '../verifier.js';
import { _decode, _readAll, _replyCharset, type Http } from '../lib/http.js';
import type { Logger } from '../lib/logger.js';
import { _OPERATIONS, type _ValidateOptions } from './services.js';

export interface ClientContext {
  gatewayUrl: string;
  partner: string;
  charset: Charset;
  signer: Signer;
  verifier: Verifier;
  http: Http;
  now: () => Date;
  logger: Logger;
  unencodable: 'error' | 'replace';
  /** Options for core's validators (contracted currencies). */
  validate: { currencies?: readonly string[] };
}

/** `<gateway>?_input_charset=<CS>` (§1.2a/b: the charset in the URL so the gateway can decode the body). */
export function _actionUrl(ctx: ClientContext): string {
  return ctx.gatewayUrl + (ctx.gatewayUrl.includes('?') ? '&' : '?') + '_input_charset=' + charsetWireName(ctx.charset);
}

/**
 * The parameters of one request: `service`, `partner` and (signed services) `_input_charset`
 * added, checked by the service's core validator (§1.3 charsets from core's registry), then
 * signed (§2.1). Sorted, then `sign`, `sign_type`; unsigned services (notify_verify) unsigned.
 */
export function _request(
  ctx: ClientContext,
  service: ServiceName,
  params: Record<string, string | undefined>,
): Record<string, string> {
  const info = SERVICE_REGISTRY[service];
  const charset = charsetWireName(ctx.charset);
  if (info.signed && !isInputCharsetAllowed(service, charset)) {
    throw new AlipayCharsetError(
      'ERR_UNSUPPORTED_CHARSET',
      `${service} accepts ${info.inputCharsets.join(', ')} only (§1.3); configure a client with one of them`,
    );
  }
  const options: _ValidateOptions = { ...ctx.validate, now: ctx.now().getTime() };
  const valid = _OPERATIONS[service].validate(
    {
      ...(params as Record<string, string>),
      service,
      partner: ctx.partner,
      ...(info.signed ? { _input_charset: charset } : {}),
    },
    options,
  );
  const out: Record<string, string> = Object.create(null);
  for (const k of Object.keys(valid).sort()) out[k] = valid[k]!;
  if (!info.signed) return out;
  const sign = ctx.signer.sign(out);
  return Object.assign(out, { sign, sign_type: ctx.signer.signType });
}

/** Form body in the configured charset, §1.4 rule 7. */
export function _body(ctx: ClientContext, params: Record<string, string>): string {
  return encodeForm(params, ctx.charset, { unencodable: ctx.unencodable });
}

/**
 * POST a signed request whose answer is the XML envelope; parse it and verify the `<response>`
 * object's signature with core's `verifyGatewayXml` and the client's verifier (§2.5). The
 * caller's core reader then reads it (and turns `is_success=F` into the gateway's error).
 */
export async function _exchangeXml(
  ctx: ClientContext,
  label: string,
  params: Record<string, string>,
): Promise<GatewayXmlResult> {
  const { bytes, charset } = await ctx.http.send(
    {
      url: _actionUrl(ctx),
      method: 'POST',
      body: _body(ctx, params),
      contentType: `application/x-www-form-urlencoded; charset=${charsetWireName(ctx.charset)}`,
      label,
    },
    async (res) => {
      const bytes = await _readAll(res.body, 1 << 20, label);
      return { bytes, charset: _replyCharset(bytes, res.contentType, ctx.charset) };
    },
  );
  const head = _decode(bytes.subarray(0, 512), charset).trimStart();
  if (!head.startsWith('<?xml') && !head.startsWith('<alipay')) {
    const code = /id="alipay-error-code"[^>]*>([A-Z_]+)</.exec(_decode(bytes, charset))?.[1];
    if (code) throw new AlipayGatewayError('ERR_GATEWAY', `${label}: gateway answered ${code}`, { gatewayCode: code });
    throw new AlipayResponseError('ERR_RESPONSE_UNEXPECTED', `${label}: gateway reply is not XML`);
  }
  const xml = parseGatewayXml(bytes, { charset });
  // §2.5 decision: a <response> without <sign> fails; the configured type decides (the verifier's).
  if (!(await verifyGatewayXml(xml, ctx.verifier)))
    throw new AlipaySignatureError('ERR_SIGNATURE_INVALID', `${label}: the gateway reply's signature does not verify`);
  return xml;
}
