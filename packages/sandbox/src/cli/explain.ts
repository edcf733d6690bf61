/**
 * `alipay-sandbox explain`: read a query string, URL or form body and say why its signature
 * does or does not verify, using core's `explainVerification` (§2.6 causes).
 *
 * @module
 */
import { explainVerification, type SignType } from '@alipay-kit/core';
import { normalizeCharset, sniffInputCharset } from '@alipay-kit/core/encoding';
import { decodeFormBytes } from '../gateway/parse.js';

/** Options of {@link explainInput}. */
export interface ExplainInputOptions {
  md5Key?: string;
  /** The public key that should verify it: the merchant's for a request, the sandbox's for a return/notification. */
  publicKey?: string;
  signType?: SignType;
  charset?: string;
}

/** Explain one input; returns the printable report and whether it verified. */
export async function explainInput(input: string, o: ExplainInputOptions): Promise<{ ok: boolean; report: string }> {
  let raw = input.trim();
  const q = raw.indexOf('?');
  if (/^https?:\/\//i.test(raw)) raw = q === -1 ? '' : raw.slice(q + 1);
  else if (raw.startsWith('?')) raw = raw.slice(1);
  raw = raw.split('#')[0]!;
  const charset = normalizeCharset(o.charset ?? sniffInputCharset(raw) ?? 'utf-8') ?? 'utf-8';
  const params: Record<string, string> = {};
  for (const [k, v] of decodeFormBytes(Buffer.from(raw, 'latin1'), charset)) if (!(k in params)) params[k] = v;
  const keys: { md5Key?: string; alipayPublicKey?: string } = {};
  if (o.md5Key) keys.md5Key = o.md5Key;
  if (o.publicKey) keys.alipayPublicKey = o.publicKey;
  const signType = o.signType ?? (params.sign_type as SignType | undefined);
  const result = await explainVerification(params, keys, { charset, ...(signType ? { signType } : {}) });
  const lines = [
    `parameters: ${Object.keys(params).length} (decoded as ${charset.toUpperCase()})`,
    `sign_type: ${params.sign_type ?? '(none)'}${o.signType ? `, checked as ${o.signType}` : ''}`,
    `pre-sign string (§2.1): ${result.preSignString}`,
    result.ok ? 'result: the signature VERIFIES' : 'result: the signature does NOT verify',
    ...result.causes.map((c) => `  - ${c.code}: ${c.message}`),
  ];
  return { ok: result.ok, report: lines.join('\n') };
}
