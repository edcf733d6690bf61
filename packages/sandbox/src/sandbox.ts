/**
 * `createSandbox`: wires the database, clock, signer, notifier, gateway, cashier and control
 * into one Express app. Options are validated up front (TypeError/RangeError naming the option).
 *
 * @module
 */
import { SETTLEMENT_CURRENCIES } from '@alipay-kit/core';
import type { ServerResponse } from 'node:http';
import express from 'express';
import { cashierRouter } from './cashier/routes.js';
import { createClock } from './clock.js';
import type { MerchantEntry, SandboxContext } from './context.js';
import { createControl } from './control/api.js';
import { controlRouter } from './control/routes.js';
import { dsaKeyStore, resolveRsaKeyPair } from './crypto/key-store.js';
import { importPublicKey } from './crypto/keys.js';
import { createSigner } from './crypto/signer.js';
import { createFaultRegistry } from './faults.js';
import { gatewayFirst } from './gateway/direct.js';
import { gatewayRouter, readGatewayBody } from './gateway/route.js';
import { serveGateway } from './gateway/serve.js';
import { faviconRouter } from './http/favicon.js';
import { sameOriginOnly, securityHeaders } from './http/security.js';
import { createNotifier } from './notify/notifier.js';
import { DEFAULT_RATES } from './rates.js';
import { TIMEOUT_RULES } from './services/create-trade.js';
import { openDb } from './store/db.js';
import { notificationStore } from './store/notifications.js';
import { refundStore } from './store/refunds.js';
import { secmerchantStore } from './store/secmerchants.js';
import { tradeStore } from './store/trades.js';
import type { MerchantConfig, Sandbox, SandboxOptions } from './types.js';

function merchantEntry(m: MerchantConfig, rates: Record<string, string>, i: number): MerchantEntry {
  if (typeof m !== 'object' || m === null) throw new TypeError(`merchants[${i}] must be an object`);
  if (typeof m.partner !== 'string' || m.partner === '')
    throw new TypeError(`merchants[${i}].partner must be a non-empty string`);
  if (!m.md5Key && !m.rsaPublicKey && !m.dsaPublicKey)
    throw new TypeError(`merchants[${i}] needs md5Key, rsaPublicKey or dsaPublicKey`);
  for (const rule of m.enabledTimeoutRules ?? [])
    if (!(rule in TIMEOUT_RULES))
      throw new RangeError(`merchants[${i}].enabledTimeoutRules: unknown timeout_rule ${JSON.stringify(rule)}`);
  // §3.5: default to core's settlement currencies (those with a rate); an explicit list needs a rate for each.
  if (m.currencies !== undefined && !Array.isArray(m.currencies))
    throw new TypeError(`merchants[${i}].currencies must be an array of ISO codes`);
  const contracted = m.currencies ?? SETTLEMENT_CURRENCIES.filter((c) => rates[c] !== undefined);
  for (const c of m.currencies ?? []) {
    if (c === 'CNY')
      throw new RangeError(
        `merchants[${i}].currencies: CNY is never a settlement currency (§3.5: CNY pricing uses rmb_fee)`,
      );
    if (rates[c] === undefined)
      throw new RangeError(`merchants[${i}].currencies: ${JSON.stringify(c)} has no rate (add it to options.rates)`);
  }
  return {
    config: m,
    keys: {
      md5Key: m.md5Key,
      rsa: m.rsaPublicKey ? importPublicKey(m.rsaPublicKey, `merchants[${i}].rsaPublicKey`) : undefined,
      dsa: m.dsaPublicKey ? importPublicKey(m.dsaPublicKey, `merchants[${i}].dsaPublicKey`) : undefined,
    },
    name: m.name ?? `Merchant ${m.partner}`,
    currencies: new Set(contracted),
    timeoutRules: new Set(m.enabledTimeoutRules ?? Object.keys(TIMEOUT_RULES)),
    refundWindowDays: m.refundWindowDays ?? 365,
    fileLayout: m.fileLayout ?? 'legacy',
  };
}

/** §6.3 throttle option → its resolved form (`undefined` = off); throws naming the option. */
function resolveRefundThrottle(t: SandboxOptions['refundThrottle']): SandboxContext['refundThrottle'] {
  if (t === undefined || t === false) return undefined;
  if (t !== true && (typeof t !== 'object' || t === null))
    throw new TypeError('createSandbox: options.refundThrottle must be true, false or { intervalMs, per }');
  const o = t === true ? {} : t;
  const intervalMs = o.intervalMs ?? 3000;
  if (!(typeof intervalMs === 'number' && intervalMs > 0 && Number.isFinite(intervalMs)))
    throw new RangeError('createSandbox: options.refundThrottle.intervalMs must be a positive number');
  const per = o.per ?? 'partner';
  if (per !== 'partner' && per !== 'trade')
    throw new RangeError("createSandbox: options.refundThrottle.per must be 'partner' or 'trade'");
  return { intervalMs, per };
}

/**
 * Create a local, stateful Alipay cross-border gateway.
 *
 * @example
 * ```ts
 * import { createSandbox } from '@alipay-kit/sandbox'
 *
 * const sandbox = createSandbox({
 *   merchants: [{ partner: '2088101122136241', md5Key: '760bdzec6y9goq7ctyx96ezkz78287de' }],
 *   timeScale: 60,
 * })
 * const server = sandbox.app.listen(0, '127.0.0.1')
 * // … point the client at http://127.0.0.1:<port>/gateway.do …
 * await sandbox.control.simulatePayment(paymentUrl) // { returnUrl, tradeNo }
 * await sandbox.control.flushNotifications()
 * await sandbox.close()
 * server.close()
 * ```
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  if (typeof options !== 'object' || options === null) throw new TypeError('createSandbox: options must be an object');
  if (!Array.isArray(options.merchants) || options.merchants.length === 0)
    throw new TypeError('createSandbox: options.merchants must list at least one merchant');
  const timeScale = options.timeScale ?? 1;
  if (!(typeof timeScale === 'number' && timeScale > 0 && Number.isFinite(timeScale)))
    throw new RangeError('createSandbox: options.timeScale must be a positive number');
  const rates = { ...(options.rates ?? DEFAULT_RATES) };
  for (const [cur, rate] of Object.entries(rates)) {
    if (!/^[A-Z]{3}$/.test(cur) || typeof rate !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(rate) || Number(rate) <= 0) {
      throw new RangeError(`createSandbox: options.rates.${cur} must be a positive decimal string`);
    }
  }
  for (const k of ['lenientAcknowledgement', 'extendedNotificationFields', 'notifyOnClose'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'boolean')
      throw new TypeError(`createSandbox: options.${k} must be true or false`);
  }
  const merchants = new Map<string, MerchantEntry>();
  options.merchants.forEach((m, i) => {
    const entry = merchantEntry(m, rates, i);
    if (merchants.has(m.partner)) throw new TypeError(`createSandbox: partner ${m.partner} is listed twice`);
    merchants.set(m.partner, entry);
  });
  const base = options.now ?? Date.now;
  const dataFile = options.dataFile ?? ':memory:';
  const persistent = dataFile !== ':memory:' && dataFile !== '';
  const db = openDb(dataFile);
  const log = options.logger ?? (() => {});
  let keys: ReturnType<typeof resolveRsaKeyPair>;
  try {
    keys = resolveRsaKeyPair(db, options.keyPair, persistent);
  } catch (e) {
    db.close();
    throw e;
  }
  const keyPair = keys.pair;
  const partial: Omit<SandboxContext, 'notifier'> = {
    merchants,
    rates,
    timeScale,
    clock: createClock(db, base),
    trades: tradeStore(db),
    refunds: refundStore(db),
    notifications: notificationStore(db),
    secmerchants: secmerchantStore(db),
    signer: createSigner(keyPair.privateKey, dsaKeyStore(db, persistent)),
    faults: createFaultRegistry(),
    publicKey: keyPair.publicKey,
    publicBaseUrl: (options.publicBaseUrl ?? '').replace(/\/+$/, ''),
    notifyVerifyTtlMs: options.notifyVerifyTtlMs ?? 60_000,
    notifyTimeoutMs: options.notifyTimeoutMs ?? 10_000,
    extendedNotificationFields: options.extendedNotificationFields ?? false,
    notifyOnClose: options.notifyOnClose ?? false,
    fileMaxRangeDays: options.fileMaxRangeDays ?? 10,
    lenientAcknowledgement: options.lenientAcknowledgement ?? false,
    refundThrottle: resolveRefundThrottle(options.refundThrottle),
    fetch: options.fetch ?? ((...args) => fetch(...args)),
    log: (line) => {
      try {
        log(line);
      } catch {
        /* a logger must not break the gateway */
      }
    },
  };
  const ctx = partial as SandboxContext;
  ctx.log(
    keys.source === 'pinned'
      ? `Alipay RSA key: pinned${keys.replaced ? ' (replaces the key stored in the data file: merchants must update their Alipay public key)' : ''}`
      : keys.source === 'stored'
        ? 'Alipay RSA key: reused from the data file'
        : `Alipay RSA key: generated${persistent ? ' and stored in the data file' : ' (in-memory sandbox: a new key at every start)'}`,
  );
  ctx.notifier = createNotifier(partial);
  const control = createControl(ctx);
  const hanging = new Set<ServerResponse>();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());
  app.use(gatewayFirst(app, readGatewayBody, (req, res, body) => serveGateway(ctx, hanging, req, res, body)));
  app.use(sameOriginOnly(ctx.publicBaseUrl));
  app.use(faviconRouter());
  app.use(gatewayRouter(ctx, hanging));
  app.use(cashierRouter(ctx));
  app.use(controlRouter(ctx, control));

  ctx.notifier.start();
  let closed = false;
  return {
    app,
    control,
    async close() {
      if (closed) return;
      closed = true;
      await ctx.notifier.stop();
      for (const res of hanging) res.destroy();
      hanging.clear();
      db.close();
    },
  };
}
