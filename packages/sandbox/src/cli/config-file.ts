/**
 * `alipay-sandbox serve --config <file.json>`: several merchants (and a few sandbox settings) in
 * one JSON file, besides the single-merchant flags. Key files are read relative to the config
 * file. Unknown keys are refused by name, so a typo never silently drops a setting.
 *
 * ```json
 * {
 *   "timeScale": 60,
 *   "merchants": [
 *     { "partner": "2088101122136241", "md5Key": "760bdzec6y9goq7ctyx96ezkz78287de", "name": "Kaligo test shop" },
 *     { "partner": "2088000000000002", "rsaPublicKeyFile": "keys/shop-b.pub.pem", "dsaPublicKeyFile": "keys/shop-b-dsa.pub.pem",
 *       "currencies": ["USD", "HKD"], "enabledTimeoutRules": ["12h", "30m"], "fileLayout": "wide" }
 *   ]
 * }
 * ```
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { MerchantConfig, SandboxOptions } from '../types.js';

/** Top-level settings a config file may carry (each maps to the {@link SandboxOptions} field of the same name). */
const OPTION_KEYS = [
  'timeScale',
  'rates',
  'notifyVerifyTtlMs',
  'notifyTimeoutMs',
  'extendedNotificationFields',
  'notifyOnClose',
  'fileMaxRangeDays',
  'lenientAcknowledgement',
  'refundThrottle',
] as const;

const MERCHANT_KEYS = new Set([
  'partner',
  'md5Key',
  'rsaPublicKey',
  'rsaPublicKeyFile',
  'dsaPublicKey',
  'dsaPublicKeyFile',
  'name',
  'currencies',
  'enabledTimeoutRules',
  'refundWindowDays',
  'fileLayout',
]);

/** What a config file yields: merchants, plus sandbox options. */
export interface LoadedConfig {
  merchants: MerchantConfig[];
  options: Partial<Pick<SandboxOptions, (typeof OPTION_KEYS)[number]>>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readKeyFile(base: string, file: unknown, what: string): string {
  if (typeof file !== 'string' || file === '') throw new TypeError(`${what} must be a file path`);
  try {
    return readFileSync(resolve(base, file), 'utf8');
  } catch (e) {
    throw new TypeError(`${what}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function merchant(raw: unknown, i: number, base: string): MerchantConfig {
  const at = `merchants[${i}]`;
  if (!isObject(raw)) throw new TypeError(`${at} must be an object`);
  for (const k of Object.keys(raw))
    if (!MERCHANT_KEYS.has(k))
      throw new TypeError(`${at}.${k} is not a merchant setting (known: ${[...MERCHANT_KEYS].join(', ')})`);
  const m = { ...raw } as Record<string, unknown>;
  for (const kind of ['rsa', 'dsa'] as const) {
    const fileKey = `${kind}PublicKeyFile`;
    const inlineKey = `${kind}PublicKey`;
    if (m[fileKey] === undefined) continue;
    if (m[inlineKey] !== undefined) throw new TypeError(`${at}: give ${inlineKey} or ${fileKey}, not both`);
    m[inlineKey] = readKeyFile(base, m[fileKey], `${at}.${fileKey}`);
    delete m[fileKey];
  }
  // Shapes are checked once more, with the same messages as the API, by createSandbox.
  return m as unknown as MerchantConfig;
}

/**
 * Parse a config file's text. `base` is the folder key file paths are relative to.
 * Throws `TypeError` naming the offending key.
 *
 * @example
 * ```ts
 * const { merchants, options } = parseConfig('{"merchants":[{"partner":"2088101122136241","md5Key":"…"}]}', process.cwd())
 * createSandbox({ ...options, merchants })
 * ```
 */
export function parseConfig(text: string, base: string): LoadedConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`config: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) throw new TypeError('config: the top level must be an object with "merchants"');
  const known = new Set<string>(['merchants', ...OPTION_KEYS]);
  for (const k of Object.keys(json))
    if (!known.has(k)) throw new TypeError(`config: ${k} is not a setting (known: ${[...known].join(', ')})`);
  if (!Array.isArray(json.merchants) || json.merchants.length === 0)
    throw new TypeError('config: "merchants" must list at least one merchant');
  const options: Record<string, unknown> = {};
  for (const k of OPTION_KEYS) if (json[k] !== undefined) options[k] = json[k];
  return { merchants: json.merchants.map((m, i) => merchant(m, i, base)), options: options as LoadedConfig['options'] };
}

/** Read and parse a config file (key files relative to it). */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TypeError(`--config: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseConfig(text, dirname(resolve(file)));
}
