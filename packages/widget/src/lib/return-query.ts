/**
 * The `out_trade_no` of a gateway return query (without `?`), or `undefined` when the query is
 * not one: the synchronous return of create_forex_trade(_wap) carries `out_trade_no` with
 * `sign` and `trade_status`; either of the two is enough to tell it from a merchant's own query.
 * @internal
 */
export function returnedTradeNo(query: string): string | undefined {
  const p = new URLSearchParams(query);
  return ((p.has('sign') || p.has('trade_status')) && p.get('out_trade_no')) || undefined;
}
