/**
 * The admin login throttle: failures counted per validated client address (see
 * {@link throttleKey}) in a bounded map that evicts its least recently failed entries, plus a
 * global count, so that many addresses together cannot guess at full speed either. Only failures
 * count; a correct password from an address that is not throttled always logs in.
 */

export interface LoginThrottleOptions {
  /** Failures per address in one window before that address is refused. Default 10. */
  perAddress?: number;
  /** Failures from all addresses in one window before every attempt is refused. Default 100. */
  global?: number;
  /** Window length in ms. Default 15 minutes. */
  windowMs?: number;
  /** Most addresses remembered; the least recently failed one is dropped first. Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

export interface LoginThrottle {
  /** Why an attempt from `key` is refused now, or `undefined` when it may try. */
  refused(key: string): 'address' | 'global' | undefined;
  recordFailure(key: string): void;
  /** Addresses currently remembered (bounded by `maxEntries`). */
  readonly size: number;
}

interface Count {
  n: number;
  since: number;
}

/**
 * @example
 * ```ts
 * const throttle = createLoginThrottle()
 * if (throttle.refused(throttleKey(clientAddress(req)))) return tooMany()
 * if (!ok) throttle.recordFailure(throttleKey(clientAddress(req)))
 * ```
 */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const perAddress = options.perAddress ?? 10;
  const globalLimit = options.global ?? 100;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  // Map keeps insertion order: re-inserting on every failure keeps the oldest failure first.
  const byAddress = new Map<string, Count>();
  let global: Count = { n: 0, since: now() };

  const current = (key: string): Count | undefined => {
    const c = byAddress.get(key);
    if (c && now() - c.since >= windowMs) {
      byAddress.delete(key);
      return undefined;
    }
    return c;
  };
  const currentGlobal = (): Count => {
    if (now() - global.since >= windowMs) global = { n: 0, since: now() };
    return global;
  };

  return {
    refused(key) {
      if (currentGlobal().n >= globalLimit) return 'global';
      const c = current(key);
      return c && c.n >= perAddress ? 'address' : undefined;
    },
    recordFailure(key) {
      currentGlobal().n += 1;
      const c = current(key);
      byAddress.delete(key);
      byAddress.set(key, c ? { n: c.n + 1, since: c.since } : { n: 1, since: now() });
      while (byAddress.size > maxEntries) {
        const oldest = byAddress.keys().next().value as string;
        byAddress.delete(oldest);
      }
    },
    get size() {
      return byAddress.size;
    },
  };
}
