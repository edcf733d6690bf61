/**
 * The gateway client (protocol §1–§11): each operation is core's validator → sign → send (over
 * node:http, lib/http.ts) → core's reader; `services.ts` binds every service of core's registry
 * to its method.
 *
 * @module
 */
import { AlipayValidationError, inspectKey, type Charset } from '@alipay-kit/core';
import { normalizeCharset } from '@alipay-kit/core/encoding';
import { createSigner, type NodeSigner as Signer, type SignerSignType } from '../signer.js';
import { createVerifier, type NodeVerifier as Verifier } from '../verifier.js';
import { _createHttp, type RetryOptions } from '../lib/http.js';
import { _stderrLogger, type Logger } from '../lib/logger.js';
import { _normalizeKeyText, _unreadableKey } from '../lib/private-key.js';
import type { ClientContext } from './context.js';
import {
  _paymentForm,
  _paymentUrl,
  _signedPayment,
  type PaymentForm,
  type PaymentOrder,
  type PaymentVariant,
} from './payment.js';
import { _query, type QueriedTrade, type QueryParams } from './query.js';
import { _refund, type RefundParams, type RefundResult } from './refund.js';
import { _notifyVerify } from './notify-verify.js';
import {
  _compareFile,
  _liquidationFile,
  _rateFile,
  type FileOptions,
  type FileRange,
  type FileResult,
  type RateRow,
  type TransactionRow,
} from './files.js';
import {
  _secmerchantMaintain,
  _secmerchantQueryStatus,
  type SecmerchantMaintainParams,
  type SecmerchantResult,
} from './secmerchant.js';

/** Hosts of Alipay's hosted sandbox, which accepts MD5 signatures only (protocol §1.1, §2.2). */
const MD5_ONLY_HOSTS = /(^|\.)alipaydev\.com$/i;

/** Gateway presets (§1.1 decision). */
export const GATEWAYS = Object.freeze({
  production: 'https://intlmapi.alipay.com/gateway.do',
  sandbox: 'https://mapi.alipaydev.com/gateway.do',
});

/** Configuration of {@link createGatewayClient}. */
export interface GatewayClientConfig {
  /** `'production'`, `'sandbox'` or a full `gateway.do` URL (e.g. the local sandbox). */
  gateway: 'production' | 'sandbox' | (string & {});
  /** Merchant PID: 16 digits starting with 2088 (§0.1); any non-empty id for local sandboxes. */
  partner: string;
  /** A ready signer; or give `signType` + `md5Key` / `privateKey`. */
  signer?: Signer;
  signType?: SignerSignType;
  md5Key?: string;
  /** The merchant's private key (RSA/RSA2/DSA). */
  privateKey?: string;
  /** ALIPAY's public key, to verify replies (RSA/RSA2/DSA). */
  alipayPublicKey?: string;
  /** `utf-8` (default) or `gbk`; sent as `_input_charset` and used for every signature. */
  charset?: 'utf-8' | 'gbk' | 'UTF-8' | 'GBK';
  /** Characters the charset cannot encode: `'error'` (default) or `'replace'`. */
  unencodable?: 'error' | 'replace';
  /** Per-attempt timeout. Default 15000 ms. */
  timeoutMs?: number;
  /** Retry policy for the operations that are safe to repeat. */
  retry?: RetryOptions;
  /** A `fetch` implementation (tests, proxies); default: node:http(s) with keep-alive agents. */
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** Contracted settlement currencies (§3.5). Default: core's SETTLEMENT_CURRENCIES. */
  currencies?: readonly string[];
  /** Clock for `gmt_return` and `timestamp`. Default `() => new Date()`. */
  now?: () => Date;
}

/** The client. Every method's reply is verified (§2.5) and typed; errors are {@link AlipayError}s. */
export interface GatewayClient {
  readonly gatewayUrl: string;
  readonly partner: string;
  readonly charset: Charset;
  readonly signType: SignerSignType;
  /** Verifies returns/notifications with the configured sign type (§2.4). */
  readonly verifier: Verifier;
  /** Signed parameters of a payment, sorted, then `sign`, `sign_type`. */
  paymentParams(order: PaymentOrder, options?: { variant?: PaymentVariant }): Record<string, string>;
  /** GET link to the cashier (§1.2a). */
  paymentUrl(order: PaymentOrder, options?: { variant?: PaymentVariant }): string;
  /** Auto-submitting form (§1.2a decision). */
  paymentForm(
    order: PaymentOrder,
    options?: { variant?: PaymentVariant; nonce?: string; buttonLabel?: string },
  ): PaymentForm;
  query(params: QueryParams): Promise<QueriedTrade>;
  refund(params: RefundParams): Promise<RefundResult>;
  notifyVerify(notifyId: string): Promise<boolean>;
  /**
   * `forex_compare_file` (§8), parsed by core's `parseCompareFile`: rows carry amounts in minor
   * units (`row.minor`). Rejects with `AlipayFileError` (`ERR_FILE_REQUEST` for a failure
   * sentence, `ERR_FILE_LINE` for a malformed line) or `AlipayGatewayError` for an XML failure.
   */
  compareFile(range: FileRange, options?: FileOptions<TransactionRow>): Promise<FileResult<TransactionRow>>;
  /** `forex_liquidation_file` (§8): as {@link GatewayClient.compareFile}, via `parseLiquidationFile`. */
  liquidationFile(range: FileRange, options?: FileOptions<TransactionRow>): Promise<FileResult<TransactionRow>>;
  /** `forex_rate_file` (§10), parsed by core's `parseRateFile`; errors as {@link GatewayClient.compareFile}. */
  rateFile(options?: FileOptions<RateRow>): Promise<FileResult<RateRow>>;
  secmerchantMaintain(params: SecmerchantMaintainParams): Promise<SecmerchantResult>;
  secmerchantQueryStatus(params: {
    secondary_merchant_id: string;
    payment_method?: string;
  }): Promise<SecmerchantResult>;
}

/**
 * Create a gateway client. Configuration errors throw at once, each saying what to do: a
 * `TypeError` naming the option; `AlipayValidationError` `ERR_INVALID_PARAMS` (`field: 'gateway'`)
 * for a gateway URL carrying a query string or fragment, `ERR_UNSUPPORTED_SIGN_TYPE`
 * (`field: 'signType'`) for RSA/RSA2/DSA against Alipay's hosted sandbox (MD5 only, §1.1);
 * `AlipayKeyError` for a key that cannot be read (never quoted). A PEM with literal `\n` escapes
 * (the usual `.env` form) is accepted.
 *
 * @example
 * ```ts
 * const client = createGatewayClient({ gateway: 'sandbox', partner: '2088101122136241', signType: 'MD5', md5Key })
 * const url = client.paymentUrl({ out_trade_no: 'A1', subject: 'Tea', currency: 'USD', total_fee: '9.90', notify_url, return_url })
 * const trade = await client.query({ out_trade_no: 'A1' })
 * ```
 */
export function createGatewayClient(config: GatewayClientConfig): GatewayClient {
  if (typeof config !== 'object' || config === null)
    throw new TypeError('createGatewayClient: config must be an object');
  const gatewayUrl =
    config.gateway === 'production' || config.gateway === 'sandbox'
      ? GATEWAYS[config.gateway as 'production' | 'sandbox']
      : config.gateway;
  if (typeof gatewayUrl !== 'string')
    throw new TypeError(`createGatewayClient: gateway must be 'production', 'sandbox' or a URL`);
  let parsed: URL;
  try {
    parsed = new URL(gatewayUrl);
  } catch {
    throw new TypeError('createGatewayClient: gateway is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new TypeError('createGatewayClient: gateway must be http(s)');
  if (parsed.search !== '' || parsed.hash !== '' || gatewayUrl.includes('?') || gatewayUrl.includes('#')) {
    // Every call would fail with ILLEGAL_ARGUMENT: the client adds _input_charset and the signed parameters itself.
    throw new AlipayValidationError(
      'ERR_INVALID_PARAMS',
      `createGatewayClient: gateway must be the bare gateway.do URL, without a query string or fragment (the client adds _input_charset and the signed parameters itself; the gateway refuses anything else with ILLEGAL_ARGUMENT). Use ${parsed.origin}${parsed.pathname}`,
      { field: 'gateway' },
    );
  }
  if (typeof config.partner !== 'string' || !/^[0-9A-Za-z]{1,32}$/.test(config.partner))
    throw new TypeError('createGatewayClient: partner must be the merchant PID (16 digits, 2088…)');
  const charset = config.charset === undefined ? 'utf-8' : normalizeCharset(config.charset);
  if (!charset) throw new TypeError(`createGatewayClient: charset must be 'utf-8' or 'gbk'`);
  const timeoutMs = config.timeoutMs ?? 15_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new TypeError('createGatewayClient: timeoutMs must be a positive number');
  if (config.fetch !== undefined && typeof config.fetch !== 'function')
    throw new TypeError('createGatewayClient: fetch must be a function');
  const retry = {
    limit: config.retry?.limit ?? 2,
    backoffMs: config.retry?.backoffMs ?? 200,
    maxBackoffMs: config.retry?.maxBackoffMs ?? 2_000,
  };
  if (!Number.isInteger(retry.limit) || retry.limit < 0 || retry.limit > 10)
    throw new TypeError('createGatewayClient: retry.limit must be an integer 0–10');
  const unencodable = config.unencodable ?? 'error';

  const privateKey = _normalizeKeyText(config.privateKey);
  const alipayPublicKey = _normalizeKeyText(config.alipayPublicKey);
  if (typeof alipayPublicKey === 'string' && alipayPublicKey !== '') {
    try {
      inspectKey(alipayPublicKey);
    } catch (e) {
      throw _unreadableKey('alipayPublicKey', e);
    }
  }
  let signer: Signer;
  if (config.signer !== undefined) {
    signer = config.signer;
    if (typeof signer?.sign !== 'function')
      throw new TypeError('createGatewayClient: signer must come from createSigner()');
    if (signer.charset !== charset)
      throw new TypeError(
        `createGatewayClient: signer charset (${signer.charset}) differs from charset (${charset}); they must match (§2.1 step 6)`,
      );
  } else {
    if (config.signType === undefined)
      throw new TypeError('createGatewayClient: give signer, or signType with md5Key/privateKey');
    signer = createSigner({
      signType: config.signType,
      md5Key: config.md5Key,
      privateKey,
      charset,
      unencodable,
      ...(alipayPublicKey ? { alipayPublicKey } : {}),
    });
  }
  if (signer.signType !== 'MD5' && MD5_ONLY_HOSTS.test(parsed.hostname)) {
    throw new AlipayValidationError(
      'ERR_UNSUPPORTED_SIGN_TYPE',
      `createGatewayClient: Alipay's hosted sandbox (${parsed.hostname}) accepts MD5 signatures only (protocol §1.1, §2.2), so every ${signer.signType} call would fail. Use signType 'MD5' with the sandbox's MD5 key, or test ${signer.signType} against the local sandbox (npx alipay-sandbox serve, then gateway: 'http://127.0.0.1:<port>/gateway.do')`,
      { field: 'signType' },
    );
  }
  const verifier = createVerifier({ signType: signer.signType, md5Key: config.md5Key, alipayPublicKey, charset });
  const ctx: ClientContext = {
    gatewayUrl,
    partner: config.partner,
    charset,
    signer,
    verifier,
    http: _createHttp({ timeoutMs, retry, ...(config.fetch ? { fetch: config.fetch } : {}) }),
    now: config.now ?? (() => new Date()),
    logger: config.logger ?? _stderrLogger,
    unencodable,
    validate: config.currencies ? { currencies: config.currencies } : {},
  };
  return Object.freeze({
    gatewayUrl,
    partner: config.partner,
    charset,
    signType: signer.signType,
    verifier,
    paymentParams: (order, o) => _signedPayment(ctx, order, o?.variant ?? 'web'),
    paymentUrl: (order, o) => _paymentUrl(ctx, order, o?.variant ?? 'web'),
    paymentForm: (order, o) => _paymentForm(ctx, order, o?.variant ?? 'web', o),
    query: (p) => _query(ctx, p),
    refund: (p) => _refund(ctx, p),
    notifyVerify: (id) => _notifyVerify(ctx, id),
    compareFile: (r, o) => _compareFile(ctx, r, o),
    liquidationFile: (r, o) => _liquidationFile(ctx, r, o),
    rateFile: (o) => _rateFile(ctx, o),
    secmerchantMaintain: (p) => _secmerchantMaintain(ctx, p),
    secmerchantQueryStatus: (p) => _secmerchantQueryStatus(ctx, p),
  } satisfies GatewayClient);
}
