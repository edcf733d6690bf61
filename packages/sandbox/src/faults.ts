/**
 * Fault injection registry (issue 3 "Faults"). Faults are set per scope: everything, one
 * partner, one service, or one partner's service. When several scopes match a call, the more
 * specific one wins field by field. Kept in memory: faults are a test-session setting.
 *
 * @module
 */
import type { FaultConfig, FaultScope } from './types.js';

/** Holds the active faults. */
export interface FaultRegistry {
  set(scope: FaultScope | undefined, faults: FaultConfig): void;
  /** Clear one scope's faults (exactly that scope), or every fault without a scope. */
  clear(scope?: FaultScope): void;
  /** The merged faults for a call. */
  resolve(partner: string | undefined, service: string | undefined): FaultConfig;
  /** Every active entry, for the dashboard. */
  list(): Array<{ scope: FaultScope; faults: FaultConfig }>;
}

function specificity(scope: FaultScope): number {
  return (scope.partner !== undefined ? 2 : 0) + (scope.service !== undefined ? 1 : 0);
}

/** Create an empty registry. */
export function createFaultRegistry(): FaultRegistry {
  const entries = new Map<string, { scope: FaultScope; faults: FaultConfig }>();
  return {
    set(scope, faults) {
      const s: FaultScope = {};
      if (scope?.partner !== undefined) s.partner = scope.partner;
      if (scope?.service !== undefined) s.service = scope.service;
      validate(faults);
      entries.set(JSON.stringify([s.partner ?? null, s.service ?? null]), { scope: s, faults: { ...faults } });
    },
    clear(scope) {
      if (scope === undefined) return entries.clear();
      entries.delete(JSON.stringify([scope.partner ?? null, scope.service ?? null]));
    },
    resolve(partner, service) {
      if (entries.size === 0) return {};
      const matching = [...entries.values()]
        .filter(
          (e) =>
            (e.scope.partner === undefined || e.scope.partner === partner) &&
            (e.scope.service === undefined || e.scope.service === service),
        )
        .sort((a, b) => specificity(a.scope) - specificity(b.scope));
      return Object.assign({}, ...matching.map((e) => e.faults)) as FaultConfig;
    },
    list: () => [...entries.values()],
  };
}

/** Every fault key and the kind of value it takes. */
const FAULT_KEYS: Readonly<Record<keyof FaultConfig, 'probability' | 'count' | 'boolean'>> = Object.freeze({
  latencyMs: 'count',
  http5xx: 'probability',
  timeout: 'probability',
  truncateXml: 'probability',
  duplicateNotifications: 'count',
  outOfOrderNotifications: 'boolean',
  mangleSignPlus: 'boolean',
  gbkResponses: 'boolean',
  refundSystemError: 'probability',
  refundSystemErrorApplied: 'boolean',
  cutFileStream: 'probability',
});

/** Throw a `TypeError`/`RangeError` naming the key for an unknown key or a value of the wrong kind. */
function validate(f: FaultConfig): void {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new TypeError('faults must be an object');
  for (const [k, v] of Object.entries(f) as Array<[string, unknown]>) {
    if (v === undefined) continue;
    const kind = Object.prototype.hasOwnProperty.call(FAULT_KEYS, k) ? FAULT_KEYS[k as keyof FaultConfig] : undefined;
    if (kind === undefined)
      throw new TypeError(`faults.${k} is not a fault (known: ${Object.keys(FAULT_KEYS).join(', ')})`);
    if (kind === 'probability' && (typeof v !== 'number' || !(v >= 0 && v <= 1)))
      throw new RangeError(`faults.${k} must be a probability between 0 and 1`);
    if (kind === 'count' && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
      throw new RangeError(`faults.${k} must be a non-negative number`);
    if (kind === 'boolean' && typeof v !== 'boolean') throw new TypeError(`faults.${k} must be true or false`);
  }
}

/** True with probability `p` (0 → never, 1 → always). */
export function roll(p: number | undefined): boolean {
  if (!p) return false;
  return p >= 1 || Math.random() < p;
}
