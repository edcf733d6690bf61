// Preload (`--import`) for ledger-worker.ts: this process's wall clock runs CLOCK_SKEW_MS ahead
// (`new Date()` and `Date.now()`), as on a server whose clock drifted. Explicit dates are untouched.
const skew = Number(process.env.CLOCK_SKEW_MS ?? 0);
if (skew !== 0) {
  const Real = Date;
  class Skewed extends Real {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(Real.now() + skew);
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return Real.now() + skew;
    }
  }
  globalThis.Date = Skewed as DateConstructor;
}
