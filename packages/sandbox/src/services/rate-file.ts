/**
 * `forex_rate_file` (§10): `Date|Time|Currency|Rate` per currency, no header, CRLF, rates with
 * six decimals from the sandbox rate table. Rates "change once a day around 10:00" (§10), so
 * each line carries today's 10:15:00 (Beijing) once that time has passed, else yesterday's.
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import { formatRate } from '../lib/amounts.js';
import { formatCompact } from '../lib/time.js';

/** Answer a checked forex_rate_file. */
export function forexRateFile(ctx: SandboxContext): string {
  const now = ctx.clock.now();
  const stamp = formatCompact(now);
  const todayUpdate = stamp.slice(8) >= '101500';
  const date = todayUpdate ? stamp.slice(0, 8) : formatCompact(now - 86_400_000).slice(0, 8);
  const lines = Object.keys(ctx.rates).map((cur) => `${date}|101500|${cur}|${formatRate(ctx.rates[cur]!, 6)}\r\n`);
  return lines.length === 0 ? 'File empty' : lines.join('');
}
