// Case counts: small in `npm test`, large in `npm run soak` (SOAK=1). Each can be overridden.
export const SOAK = process.env.SOAK === '1';
const num = (name: string, dflt: number, soak: number): number => {
  const v = process.env[name];
  return v !== undefined && v !== '' ? Number(v) : SOAK ? soak : dflt;
};
/** fast-check runs per fuzz target. */
export const FUZZ_RUNS = num('RELIABILITY_FUZZ_RUNS', 300, 10_000);
/** Fuzz runs for targets that cost an HTTP round trip each. */
export const FUZZ_HTTP_RUNS = num('RELIABILITY_FUZZ_HTTP_RUNS', 200, 10_000);
/** Notifications in the duplicate storm (10 per trade). */
export const STORM_NOTIFICATIONS = num('RELIABILITY_NOTIFICATIONS', 1000, 10_000);
/** Trades in the crash test. */
export const CRASH_TRADES = num('RELIABILITY_CRASH_TRADES', 60, 400);
/** Trades in the gateway-fault test. */
export const FAULT_TRADES = num('RELIABILITY_FAULT_TRADES', 40, 400);
/** fast-check seed (printed on failure by fast-check itself). */
export const SEED = process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : undefined;
