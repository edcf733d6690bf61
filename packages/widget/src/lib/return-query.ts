/**
 * The `out_trade_no` of a query (without `?`), or `undefined`.
 * @internal
 */
export const orderRef = (query: string): string | undefined =>
  new URLSearchParams(query).get('out_trade_no') || undefined;

/**
 * Whether a query (without `?`) is a gateway return: the synchronous return of
 * create_forex_trade(_wap) carries `out_trade_no` with `sign` and `trade_status`; either is
 * enough to tell it from a merchant's own query (or from the bare `out_trade_no` the element
 * leaves in the address bar after one).
 * @internal
 */
export const isGatewayReturn = (query: string): boolean => /(^|&)(sign|trade_status)=/.test(query);
