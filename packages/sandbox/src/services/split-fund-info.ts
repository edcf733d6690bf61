/**
 * `split_fund_info` on create_forex_trade (§3.4): a JSON array of at most 10 entries
 * `{transIn, amount, currency, desc}`. Read as strict JSON first; only text that is not JSON is
 * read again with `'` as a string quote (the official demo swaps `"` for `'`, §3.4), so a valid
 * array whose `desc` holds an apostrophe is accepted as sent. `transIn` is a 16-digit PID, each
 * `amount` a 2-decimal amount, each `currency` the payment's (CNY when priced in `rmb_fee`), and
 * the amounts add up to at most the price.
 *
 * @module
 */

/** What the entries are checked against. */
export interface SplitContext {
  /** The currency every entry must name: the payment currency, or `CNY` for an rmb_fee order. */
  currency: string;
  /** The price in hundredths (total_fee or rmb_fee). */
  priceHundredths: number;
}

const AMOUNT = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    try {
      return JSON.parse(raw.replace(/'/g, '"'));
    } catch {
      return undefined;
    }
  }
}

function hundredths(amount: string): number {
  const [w, f = ''] = amount.split('.') as [string, string?];
  return Number(w) * 100 + Number((f + '00').slice(0, 2));
}

/**
 * Check a `split_fund_info` value; returns why it is refused (a sentence for the error page),
 * or `undefined` when it is fine.
 *
 * @example
 * ```ts
 * splitFundInfoProblem(`[{"transIn":"2088621891276664","amount":"0.10","currency":"USD","desc":"Mika's share"}]`, { currency: 'USD', priceHundredths: 100 })
 * // undefined
 * ```
 */
export function splitFundInfoProblem(raw: string, ctx: SplitContext): string | undefined {
  const list = parse(raw);
  if (!Array.isArray(list)) return 'split_fund_info must be a JSON array (§3.4)';
  if (list.length === 0 || list.length > 10) return 'split_fund_info holds 1 to 10 entries (§3.4)';
  let sum = 0;
  for (const [i, e] of list.entries()) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return `split_fund_info[${i}] must be an object`;
    const entry = e as Record<string, unknown>;
    if (typeof entry.transIn !== 'string' || !/^[0-9]{16}$/.test(entry.transIn))
      return `split_fund_info[${i}].transIn must be a 16-digit PID (§3.4)`;
    const amount = typeof entry.amount === 'number' ? String(entry.amount) : entry.amount;
    if (typeof amount !== 'string' || !AMOUNT.test(amount) || hundredths(amount) === 0)
      return `split_fund_info[${i}].amount must be an amount with at most 2 decimals (§3.4)`;
    if (entry.currency !== ctx.currency)
      return `split_fund_info[${i}].currency must be ${ctx.currency}, the payment's (§3.4)`;
    if (entry.desc !== undefined && typeof entry.desc !== 'string') return `split_fund_info[${i}].desc must be text`;
    sum += hundredths(amount);
  }
  if (sum > ctx.priceHundredths) return 'the split_fund_info amounts add up to more than the price (§3.4)';
  return undefined;
}
