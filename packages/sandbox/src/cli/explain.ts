/**
 * `alipay-sandbox explain`: read a query string, URL or form body and say why its signature
 * does or does not verify, using core's `explainVerification` (§2.6 causes).
 *
 * @module
 */
import { createPublicKey } from 'node:crypto';
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
  /**
   * The merchant's own key (its public key, or its private key whose public half is derived):
   * lets the report say "you configured your own public key instead of Alipay's" (§2.3, §2.6).
   */
  merchantKey?: string;
}

/**
 * The public half of a merchant key PEM (public or private), as SPKI PEM; `undefined` when it
 * is not a key Node can read (the report then says so instead of throwing).
 *
 * @example
 * ```ts
 * merchantPublicKeyOf(readFileSync('merchant-private.pem', 'utf8')) // '-----BEGIN PUBLIC KEY-----…'
 * ```
 */
export function merchantPublicKeyOf(pem: string): string | undefined {
  try {
    return createPublicKey(pem.replace(/\\n/g, '\n')).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return undefined;
  }
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
  const merchantPublicKey = o.merchantKey === undefined ? undefined : merchantPublicKeyOf(o.merchantKey);
  const result = await explainVerification(params, keys, {
    charset,
    ...(signType ? { signType } : {}),
    ...(merchantPublicKey ? { merchantPublicKey } : {}),
  });
  const rsa = signType === 'RSA' || signType === 'RSA2';
  const notes: string[] = [];
  if (o.merchantKey !== undefined && !merchantPublicKey)
    notes.push('note: --merchant-key is not an RSA key Node can read (PEM, public or private), so it was not compared');
  else if (!result.ok && rsa && o.merchantKey === undefined)
    notes.push(
      "hint: add --merchant-key <your key file> to check whether your own public key was configured in place of Alipay's",
    );
  const lines = [
    `parameters: ${Object.keys(params).length} (decoded as ${charset.toUpperCase()})`,
    `sign_type: ${params.sign_type ?? '(none)'}${o.signType ? `, checked as ${o.signType}` : ''}`,
    `pre-sign string (§2.1): ${result.preSignString}`,
    result.ok ? 'result: the signature VERIFIES' : 'result: the signature does NOT verify',
    ...result.causes.map((c) => `  - ${c.code}: ${c.message}`),
    ...notes,
  ];
  return { ok: result.ok, report: lines.join('\n') };
}
