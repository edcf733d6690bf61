/**
 * The sandbox clock: the injectable base clock plus an offset that `advanceClock` grows. The
 * offset is stored in the database so a restart keeps the test clock where it was.
 *
 * @module
 */
import { getMeta, setMeta, type Db } from './store/db.js';

/** The sandbox clock. */
export interface Clock {
  now(): number;
  /** Move forward by `ms` (never backwards). */
  advance(ms: number): void;
}

/** Create the clock over `base` (default `Date.now`). */
export function createClock(db: Db, base: () => number): Clock {
  let offset = Number(getMeta(db, 'clock_offset') ?? '0') || 0;
  return {
    now: () => base() + offset,
    advance(ms) {
      if (!(ms > 0)) return;
      offset += ms;
      setMeta(db, 'clock_offset', String(offset));
    },
  };
}
