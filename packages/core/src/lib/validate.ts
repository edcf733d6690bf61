// Shared machinery of the services' validators. Internal: the public surface is each
// service's `validateXxx`.
import { AlipayValidationError, type ValidationErrorCode } from '../errors.js';
import { safeName } from '../presign.js';
import { getServiceInfo, isInputCharsetAllowed, type ServiceName } from '../services/registry.js';
import { isSettlementCurrency, toMinorUnits } from '../money.js';

/** Options every validator accepts. */
export interface ValidateOptions {
  /**
   * Settlement currencies the merchant's contract allows. Default: `SETTLEMENT_CURRENCIES`
   * (§3.5). CNY is never a settlement currency.
   */
  currencies?: readonly string[];
}

export type Out = Record<string, string>;

export function fail(code: ValidationErrorCode, field: string, message: string): never {
  throw new AlipayValidationError(code, `${safeName(field)}: ${message}`, { field });
}

// A parameter name the gateway could carry: ASCII letters, digits, `_` and `.`. `__proto__`
// is refused outright so no caller can be handed an object with a poisoned prototype.
const NAME = /^[A-Za-z0-9_.]{1,64}$/;

/**
 * Copy the caller's params into a fresh plain object: own enumerable keys only, string values
 * only, `null`/`undefined`/`''` dropped (they are neither signed nor sent, §2.1 step 3).
 */
export function readParams(params: unknown, service: ServiceName): Out {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new TypeError(`${service}: params must be a plain object`);
  }
  const out: Out = {};
  for (const key of Object.keys(params)) {
    if (!NAME.test(key) || key === '__proto__') fail('ERR_INVALID_PARAMS', key, 'is not a valid parameter name');
    const v = (params as Record<string, unknown>)[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') fail('ERR_INVALID_PARAMS', key, 'must be a string');
    out[key] = v;
  }
  const svc = out.service;
  if (svc === undefined) out.service = service;
  else if (svc !== service) fail('ERR_INVALID_PARAMS', 'service', `must be "${service}"`);
  return out;
}

/**
 * Width of a value as the gateway's `String(n)` limits count it: one per ASCII character, two
 * per other character (the docs' "String(256) … at most 128 Chinese characters", §3.2).
 */
export function width(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return w;
}

export function required(p: Out, field: string): string {
  const v = p[field];
  if (v === undefined) fail('ERR_INVALID_PARAMS', field, 'is required');
  return v;
}

export function maxWidth(p: Out, field: string, max: number): void {
  const v = p[field];
  if (v !== undefined && width(v) > max) fail('ERR_INVALID_PARAMS', field, `is longer than ${max}`);
}

export function matches(
  p: Out,
  field: string,
  re: RegExp,
  what: string,
  code: ValidationErrorCode = 'ERR_INVALID_PARAMS',
): void {
  const v = p[field];
  if (v !== undefined && !re.test(v)) fail(code, field, `must be ${what}`);
}

export function oneOf(p: Out, field: string, values: readonly string[]): void {
  const v = p[field];
  if (v !== undefined && !values.includes(v)) fail('ERR_INVALID_PARAMS', field, `must be one of ${values.join(', ')}`);
}

/** Common to every signed service: `partner`, `_input_charset` (§1.3), `sign_type` (§2.3). */
export function checkCommon(p: Out, service: ServiceName): void {
  required(p, 'partner');
  // §3.2 "String(16), 16 digits"; the 2088 prefix is not enforced because published test
  // vectors (chloerei, §2.7 B) use partner 1000000000000000.
  matches(p, 'partner', /^[0-9]{16}$/, '16 digits');
  const cs = p._input_charset;
  if (cs !== undefined && !isInputCharsetAllowed(service, cs)) {
    fail(
      'ERR_INVALID_PARAMS',
      '_input_charset',
      `must be one of ${getServiceInfo(service)!.inputCharsets.join(', ')} for ${service} (§1.3)`,
    );
  }
  // DSA is accepted here because the Node signer can produce it (§2.3 decision).
  oneOf(p, 'sign_type', ['MD5', 'RSA', 'RSA2', 'DSA']);
}

export function checkCurrency(p: Out, field: string, options: ValidateOptions): string {
  const c = required(p, field);
  const list = options.currencies;
  const ok = list ? list.includes(c) && c !== 'CNY' : isSettlementCurrency(c);
  // The value is named (a currency code is no secret), cut short and JSON-quoted so that odd input stays one readable line.
  if (!ok)
    fail(
      'ERR_INVALID_CURRENCY',
      field,
      `${JSON.stringify(c.slice(0, 12))} is not a contracted settlement currency (§3.5; CNY pricing uses rmb_fee)`,
    );
  return c;
}

/** Exactly one of two amount fields, each a valid request amount (§3.5). */
export function checkAmountPair(p: Out, foreign: string, cny: string, currency: string): void {
  const a = p[foreign];
  const b = p[cny];
  if ((a === undefined) === (b === undefined))
    fail('ERR_INVALID_AMOUNT', foreign, `exactly one of ${foreign} and ${cny} is required (§3.5)`);
  if (a !== undefined) toMinorUnits(a, currency, { field: foreign });
  // rmb_fee / return_rmb_amount are CNY amounts even on a JPY order (§3.5).
  if (b !== undefined) toMinorUnits(b, 'CNY', { field: cny });
}

/** An http(s) URL of at most 200 characters, with no query string (§1.4 rule 7 decision). */
export function checkCallbackUrl(p: Out, field: string): void {
  const v = p[field];
  if (v === undefined) return;
  maxWidth(p, field, 200);
  if (!/^https?:\/\/[^\s?#]+$/i.test(v))
    fail('ERR_INVALID_PARAMS', field, 'must be an http(s) URL without query string or fragment (§1.4 rule 7)');
}

/** Parse JSON sent as a string; single quotes read as double quotes when `lenient` (§3.4). */
export function parseJsonParam(p: Out, field: string, lenient = false): unknown {
  const v = p[field];
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    if (lenient) {
      try {
        return JSON.parse(v.replace(/'/g, '"'));
      } catch {
        /* fall through */
      }
    }
    return fail('ERR_INVALID_PARAMS', field, 'must be JSON');
  }
}
