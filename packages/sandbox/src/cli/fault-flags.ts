// `alipay-sandbox serve` fault flags → a FaultConfig applied to every call (issue: faults from the
// control API *and* CLI flags). Probabilities are 0..1; anything else is a usage error.
import type { FaultConfig } from '../types.js';

/** The CLI options this module reads, as `node:util` parseArgs declares them. */
export const FAULT_FLAG_OPTIONS = {
  latency: { type: 'string' },
  '5xx': { type: 'string' },
  'timeout-rate': { type: 'string' },
  'truncate-xml': { type: 'string' },
  'duplicate-notifications': { type: 'string' },
  'out-of-order': { type: 'boolean' },
  'mangle-sign-plus': { type: 'boolean' },
  'gbk-responses': { type: 'boolean' },
  'refund-system-error': { type: 'string' },
  'refund-system-error-applied': { type: 'string' },
  'cut-file-stream': { type: 'string' },
} as const;

/** Usage lines for the fault flags. */
export const FAULT_FLAG_USAGE =
  '[--latency <ms>] [--5xx <p>] [--timeout-rate <p>] [--truncate-xml <p>] [--duplicate-notifications <n>] [--out-of-order] [--mangle-sign-plus] [--gbk-responses] [--refund-system-error <p>] [--refund-system-error-applied true|false] [--cut-file-stream <p>]';

/**
 * Read the fault flags. Returns `undefined` when none is given; throws `RangeError` naming the
 * flag for a value out of range.
 *
 * @example
 * ```ts
 * faultsFromFlags({ '5xx': '0.2', latency: '300' }) // { http5xx: 0.2, latencyMs: 300 }
 * faultsFromFlags({ 'refund-system-error': '0.3', 'refund-system-error-applied': 'false' })
 * // { refundSystemError: 0.3, refundSystemErrorApplied: false }
 * ```
 */
export function faultsFromFlags(v: Record<string, string | boolean | undefined>): FaultConfig | undefined {
  const faults: FaultConfig = {};
  const num = (flag: string, max: number): number | undefined => {
    const raw = v[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > max)
      throw new RangeError(`--${flag} must be a number from 0 to ${max}`);
    return n;
  };
  const set = <K extends keyof FaultConfig>(key: K, value: FaultConfig[K] | undefined) => {
    if (value !== undefined && value !== false) faults[key] = value;
  };
  set('latencyMs', num('latency', 600_000));
  set('http5xx', num('5xx', 1));
  set('timeout', num('timeout-rate', 1));
  set('truncateXml', num('truncate-xml', 1));
  const dup = num('duplicate-notifications', 100);
  if (dup !== undefined && !Number.isInteger(dup))
    throw new RangeError('--duplicate-notifications must be a whole number');
  set('duplicateNotifications', dup);
  set('outOfOrderNotifications', v['out-of-order'] === true || undefined);
  set('mangleSignPlus', v['mangle-sign-plus'] === true || undefined);
  set('gbkResponses', v['gbk-responses'] === true || undefined);
  set('refundSystemError', num('refund-system-error', 1));
  const applied = v['refund-system-error-applied'];
  if (applied !== undefined) {
    if (applied !== 'true' && applied !== 'false')
      throw new RangeError('--refund-system-error-applied must be true or false');
    faults.refundSystemErrorApplied = applied === 'true';
  }
  set('cutFileStream', num('cut-file-stream', 1));
  return Object.keys(faults).length > 0 ? faults : undefined;
}
