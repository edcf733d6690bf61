/**
 * Why does this signature not verify? `explainVerification` re-runs verification over the
 * variants that the common mistakes of protocol §2.6 produce, and names the ones that fit.
 *
 * @module
 */
import type { Charset } from './charset.js';
import { AlipayKeyError } from './errors.js';
import { percentDecode, percentEncode } from './form.js';
import { inspectKey } from './keys.js';
import { md5VerifyString } from './md5.js';
import { buildPreSignString } from './presign.js';
import { rsaVerifyString } from './rsa.js';
import type { SignType, VerifyKeys, VerifyOptions } from './verify.js';

/** The causes {@link explainVerification} can name. */
export type VerificationCauseCode =
  | 'SIGN_MISSING'
  | 'SIGN_TYPE_UNKNOWN'
  | 'KEY_MISSING'
  | 'INVALID_KEY'
  | 'PRIVATE_KEY_GIVEN'
  | 'NON_STRING_VALUE'
  | 'SIGN_TYPE_MISMATCH'
  | 'SIGN_TYPE_INCLUDED'
  | 'EMPTY_VALUE_INCLUDED'
  | 'SIGN_PLUS_AS_SPACE'
  | 'VALUE_PLUS_AS_SPACE'
  | 'VALUES_NOT_DECODED'
  | 'VALUES_URL_ENCODED'
  | 'WRONG_CHARSET'
  | 'LOCALE_SORT'
  | 'UPPERCASE_HEX'
  | 'WRONG_MD5_KEY'
  | 'MERCHANT_PUBLIC_KEY'
  | 'NO_KNOWN_CAUSE';

/** One cause that fits the failure. */
export interface VerificationCause {
  code: VerificationCauseCode;
  /** What happened and where the rule is; never contains a key or the sign value. */
  message: string;
}

/** Result of {@link explainVerification}. */
export interface VerificationExplanation {
  /** True when the parameters verify as they are. */
  ok: boolean;
  /** Causes that fit (empty when `ok`). */
  causes: VerificationCause[];
  /** The correct §2.1 pre-sign string of the parameters as received ('' if none can be built). */
  preSignString: string;
}

/** Options of {@link explainVerification}. */
export interface ExplainOptions extends VerifyOptions {
  /** The merchant's own RSA public key, to detect it being used in place of Alipay's (§2.6). */
  merchantPublicKey?: string;
  /** Other MD5 keys the merchant holds (another account, the sandbox), to detect a key mix-up. */
  otherMd5Keys?: readonly string[];
}

type Pair = [string, string];

function build(pairs: Pair[], opts: { signType?: boolean; empty?: boolean; locale?: boolean } = {}): string {
  const kept = pairs.filter(([k, v]) => {
    const lk = k.toLowerCase();
    if (lk === 'sign') return false;
    if (lk === 'sign_type' && !opts.signType) return false;
    return v !== '' || !!opts.empty;
  });
  kept.sort(
    opts.locale ? (a, b) => a[0].localeCompare(b[0], 'en') : (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  return kept.map(([k, v]) => `${k}=${v}`).join('&');
}

async function check(
  preSign: string,
  sign: string,
  signType: SignType,
  key: string,
  charset: Charset,
): Promise<boolean> {
  try {
    if (signType === 'MD5') return md5VerifyString(preSign, sign, key, { charset });
    return await rsaVerifyString(preSign, sign, key, signType, { charset });
  } catch {
    return false;
  }
}

function modulus(key: string | undefined): string | undefined {
  if (!key) return undefined;
  try {
    return inspectKey(key).modulusHex;
  } catch {
    return undefined;
  }
}

/**
 * Verify `params` and, when that fails, say which known cause fits (§2.6), by re-verifying
 * the variants each mistake produces: `sign_type` or an empty value inside the pre-sign
 * string, `+` read as a space (in `sign` or in values), values still URL-encoded or decoded
 * twice, the other charset (GBK vs UTF-8), `localeCompare` ordering, uppercase MD5 hex, a
 * different MD5 key (`otherMd5Keys`), the merchant's own public key in place of Alipay's
 * (`merchantPublicKey`), a private key where a public key belongs. Never throws for bad
 * input, and no message contains a key or the sign value.
 *
 * @example
 * ```ts
 * const why = await explainVerification(req.body, { md5Key }, { signType: 'MD5', charset: 'utf-8' })
 * if (!why.ok) log.warn({ causes: why.causes.map((c) => c.code) }, 'notification signature')
 * ```
 */
export async function explainVerification(
  params: Record<string, string>,
  keys: VerifyKeys,
  options: ExplainOptions = {},
): Promise<VerificationExplanation> {
  const causes: VerificationCause[] = [];
  const add = (code: VerificationCauseCode, message: string): void => {
    if (!causes.some((c) => c.code === code)) causes.push({ code, message });
  };
  const pairs: Pair[] = [];
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    for (const k of Object.keys(params)) {
      const v = (params as Record<string, unknown>)[k];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') {
        add(
          'NON_STRING_VALUE',
          'a parameter value is not a string: received parameters are strings; pass the decoded form body or query',
        );
        continue;
      }
      pairs.push([k, v]);
    }
  } else {
    add('NON_STRING_VALUE', 'params must be an object of strings');
  }
  let preSignString = '';
  try {
    preSignString = buildPreSignString(Object.fromEntries(pairs));
  } catch {
    preSignString = build(pairs);
  }
  const result = (ok: boolean): VerificationExplanation => ({
    ok,
    causes: ok
      ? []
      : causes.length
        ? causes
        : [
            {
              code: 'NO_KNOWN_CAUSE',
              message:
                'no known cause fits: check the key, the sign type and that the parameters are exactly those received',
            },
          ],
    preSignString,
  });
  if (causes.length) return result(false);

  const get = (name: string): string | undefined => pairs.find(([k]) => k === name)?.[1];
  const sign = get('sign');
  if (sign === undefined || sign === '') {
    add('SIGN_MISSING', 'there is no sign parameter (§2.4 step 3: a missing sign never verifies)');
    return result(false);
  }
  const received = get('sign_type');
  const signType = options.signType ?? received;
  if (signType !== 'MD5' && signType !== 'RSA' && signType !== 'RSA2') {
    add('SIGN_TYPE_UNKNOWN', 'no usable sign type: configure MD5, RSA or RSA2 (§2.3)');
    return result(false);
  }
  const charset: Charset = options.charset ?? 'utf-8';
  const other: Charset = charset === 'utf-8' ? 'gbk' : 'utf-8';
  const safeKeys = typeof keys === 'object' && keys !== null ? keys : {};
  const key = signType === 'MD5' ? safeKeys.md5Key : safeKeys.alipayPublicKey;

  if (signType !== 'MD5' && key) {
    try {
      const info = inspectKey(key);
      if (info.kind === 'private-pkcs1' || info.kind === 'private-pkcs8') {
        add(
          'PRIVATE_KEY_GIVEN',
          "a private key was given where Alipay's public key belongs (§2.3): use the public key Alipay issued",
        );
        return result(false);
      }
    } catch (e) {
      add(
        'INVALID_KEY',
        e instanceof AlipayKeyError ? `the public key cannot be read: ${e.message}` : 'the public key cannot be read',
      );
      return result(false);
    }
  }
  // Mis-configured algorithm: the payload says one thing, the configuration another.
  if (options.signType && received && received !== options.signType) {
    const altKey = received === 'MD5' ? safeKeys.md5Key : safeKeys.alipayPublicKey;
    if (
      (received === 'MD5' || received === 'RSA' || received === 'RSA2') &&
      altKey &&
      (await check(preSignString, sign, received, altKey, charset))
    ) {
      add(
        'SIGN_TYPE_MISMATCH',
        `the payload is signed with ${received} but ${options.signType} is configured (§2.4: the configured type decides)`,
      );
    } else {
      add(
        'SIGN_TYPE_MISMATCH',
        `the payload says sign_type=${received.replace(/[^A-Z0-9]/g, '?').slice(0, 8)} but ${options.signType} is configured (§2.4)`,
      );
    }
  }
  if (!key) {
    add(
      'KEY_MISSING',
      signType === 'MD5' ? 'no md5Key was given' : "no alipayPublicKey was given (Alipay's RSA public key)",
    );
    return result(false);
  }
  if (await check(preSignString, sign, signType, key, charset)) return result(true);

  const tryVariant = (pre: string, s: string = sign, cs: Charset = charset, k: string = key): Promise<boolean> =>
    check(pre, s, signType, k, cs);
  const hasSignType = received !== undefined;
  const hasEmpty = pairs.some(([k, v]) => v === '' && k.toLowerCase() !== 'sign' && k.toLowerCase() !== 'sign_type');
  if (
    hasSignType &&
    ((await tryVariant(build(pairs, { signType: true }))) ||
      (hasEmpty && (await tryVariant(build(pairs, { signType: true, empty: true })))))
  ) {
    add(
      'SIGN_TYPE_INCLUDED',
      'the signer included sign_type in the pre-sign string; mapi excludes sign and sign_type (§2.1 step 2, §2.6)',
    );
  }
  if (
    hasEmpty &&
    ((await tryVariant(build(pairs, { empty: true }))) ||
      (hasSignType && (await tryVariant(build(pairs, { signType: true, empty: true })))))
  ) {
    add(
      'EMPTY_VALUE_INCLUDED',
      'the signer included a parameter with an empty value; empty values are dropped (§2.1 step 3, §2.6)',
    );
  }
  if (sign.includes(' ') && (await tryVariant(preSignString, sign.replace(/ /g, '+')))) {
    add(
      'SIGN_PLUS_AS_SPACE',
      "a '+' in sign was turned into a space by URL decoding (§1.4 rule 6): repair sign in the return handler only, or decode form bodies correctly",
    );
  }
  const spaced = pairs.some(([k, v]) => k !== 'sign' && v.includes(' '));
  if (spaced && (await tryVariant(build(pairs.map(([k, v]) => [k, k === 'sign' ? v : v.replace(/ /g, '+')]))))) {
    add(
      'VALUE_PLUS_AS_SPACE',
      "a '+' in a value was read as a space: the value was decoded one time too many or '+' was not percent-encoded (§1.4 rules 5 and 7)",
    );
  }
  const escaped = pairs.some(([k, v]) => k !== 'sign' && /%[0-9A-Fa-f]{2}/.test(v));
  if (escaped) {
    let decoded: Pair[] | undefined;
    try {
      decoded = pairs.map(([k, v]) => [k, k === 'sign' ? v : percentDecode(v, charset)]);
    } catch {
      decoded = undefined;
    }
    if (decoded && (await tryVariant(build(decoded)))) {
      add(
        'VALUES_NOT_DECODED',
        'values still hold percent-escapes: they were not URL-decoded, or were encoded twice (§1.4 rule 5, §2.6)',
      );
    }
  }
  try {
    const encoded = (plus: boolean): Pair[] =>
      pairs.map(([k, v]) => {
        if (k === 'sign') return [k, v];
        const e = percentEncode(v, charset);
        return [k, plus ? e.replace(/%20/g, '+') : e];
      });
    if ((await tryVariant(build(encoded(false)))) || (await tryVariant(build(encoded(true))))) {
      add(
        'VALUES_URL_ENCODED',
        'the signature covers URL-encoded values: the signer signed encoded values, or the receiver decoded twice (§1.4 rule 1, §2.6)',
      );
    }
  } catch {
    /* a value the charset cannot encode: this variant does not apply */
  }
  if (await tryVariant(preSignString, sign, other)) {
    add(
      'WRONG_CHARSET',
      `the signature is over ${other.toUpperCase()} bytes but ${charset.toUpperCase()} is configured (§2.1 step 6, §2.6)`,
    );
  }
  const locale = build(pairs, { locale: true });
  if (locale !== preSignString && (await tryVariant(locale))) {
    add('LOCALE_SORT', 'the signer sorted keys with localeCompare; keys sort by UTF-16 code unit (§2.1 step 4)');
  }
  if (signType === 'MD5') {
    if (/^[0-9a-fA-F]{32}$/.test(sign) && /[A-F]/.test(sign) && (await tryVariant(preSignString, sign.toLowerCase()))) {
      add(
        'UPPERCASE_HEX',
        'the MD5 sign is uppercase hex; it must be lowercase and is compared case-sensitively (§2.2)',
      );
    }
    for (const k of options.otherMd5Keys ?? []) {
      if (typeof k === 'string' && k !== '' && k !== key && (await tryVariant(preSignString, sign, charset, k))) {
        add('WRONG_MD5_KEY', 'the payload verifies with one of the other MD5 keys given, not the configured one');
        break;
      }
    }
  } else if (options.merchantPublicKey) {
    const mine = modulus(options.merchantPublicKey);
    if (mine !== undefined && mine === modulus(key)) {
      add(
        'MERCHANT_PUBLIC_KEY',
        "the key configured as Alipay's public key is the merchant's own public key: verify with the key Alipay issued (§2.3, §2.6)",
      );
    } else if (await tryVariant(preSignString, sign, charset, options.merchantPublicKey)) {
      add(
        'MERCHANT_PUBLIC_KEY',
        "the payload was signed with the merchant's own private key, not by Alipay (§2.3): keys are swapped somewhere",
      );
    }
  }
  return result(false);
}
