// Shared state of one gateway client: configuration, signer, verifier, transport.
import { AlipayGatewayError, AlipayResponseError, AlipaySignatureError, charsetWireName, encodeForm, gatewayErrorFrom, parseGatewayXml, type Charset, type GatewayXmlResult } from '@alipay-kit/core';
import type { Signer } from '../signer.js';
import type { Verifier } from '../verifier.js';
import { _decode, _readAll, _replyCharset, type Http } from '../lib/http.js';
import type { Logger } from '../lib/logger.js';

export interface ClientContext {
  gatewayUrl: string;
  partner: string;
  charset: Charset;
  signer: Signer;
  verifier: Verifier | undefined;
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

/** Add service, partner and `_input_charset`, drop empties, sign (§2.1). Sorted, then sign, sign_type. */
export function _signedParams(ctx: ClientContext, service: string, params: Record<string, string | undefined>): Record<string, string> {
  const all: Record<string, string> = Object.create(null);
  const merged: Record<string, string | undefined> = { ...params, service, partner: ctx.partner, _input_charset: charsetWireName(ctx.charset) };
  for (const k of Object.keys(merged).sort()) {
    const v = merged[k];
    if (v !== undefined && v !== null && v !== '') all[k] = v;
  }
  const sign = ctx.signer.sign(all);
  return Object.assign(Object.create(null), all, { sign, sign_type: ctx.signer.signType });
}

/** Form body in the configured charset, §1.4 rule 7. */
export function _body(ctx: ClientContext, params: Record<string, string>): string {
  return encodeForm(params, ctx.charset, { unencodable: ctx.unencodable });
}

/**
 * POST a signed request whose answer is the XML envelope; parse, fail on `is_success=F`, verify
 * the `<response>` object's signature (§2.5).
 */
export async function _callXml(ctx: ClientContext, label: string, params: Record<string, string>): Promise<GatewayXmlResult> {
  const { bytes, charset } = await ctx.http.send(
    { url: _actionUrl(ctx), method: 'POST', body: _body(ctx, params), contentType: `application/x-www-form-urlencoded; charset=${charsetWireName(ctx.charset)}`, label },
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
  if (xml.is_success === 'F') throw gatewayErrorFrom(xml);
  if (xml.response) {
    if (!ctx.verifier) throw new AlipayResponseError('ERR_RESPONSE_UNEXPECTED', `${label}: a signed reply arrived but no verification key is configured`);
    // §2.5 decision: a <response> without <sign> fails verification; the configured type decides.
    const ok = xml.sign ? await ctx.verifier.verify({ ...xml.response.fields, sign: xml.sign }) : false;
    if (!ok) throw new AlipaySignatureError('ERR_SIGNATURE_INVALID', `${label}: the gateway reply's signature does not verify`);
  }
  return xml;
}
