// single_trade_query (protocol §5): core's validateSingleTradeQuery → sign → POST → verified XML
// (§2.5) → core's readTradeQueryResponse.
import { AlipayResponseError } from '@alipay-kit/core';
import { _exchangeXml, _request, type ClientContext } from './context.js';
import { _OPERATIONS } from './services.js';

/** The `<trade>` of a query reply (§5.3). Read by name; extra fields are kept. */
export interface QueriedTrade {
  out_trade_no: string;
  trade_no: string;
  /** `WAIT_BUYER_PAY`, `TRADE_FINISHED`, `TRADE_CLOSED` (§3.10). */
  trade_status: string;
  total_fee?: string;
  subject?: string;
  gmt_create?: string;
  gmt_payment?: string;
  gmt_close?: string;
  [field: string]: string | undefined;
}

/** Which trade to query: at least one id (§5.2); `trade_no` takes precedence at the gateway. */
export interface QueryParams {
  out_trade_no?: string;
  trade_no?: string;
}

const SERVICE = 'single_trade_query';

export async function _query(ctx: ClientContext, q: QueryParams): Promise<QueriedTrade> {
  if (typeof q !== 'object' || q === null) throw new TypeError('query params must be an object');
  const params = _request(ctx, SERVICE, { out_trade_no: q.out_trade_no, trade_no: q.trade_no });
  // Safe to repeat: a query has no side effect.
  return ctx.http.withRetry(SERVICE, true, async () => {
    const t = _OPERATIONS[SERVICE].read(await _exchangeXml(ctx, SERVICE, params));
    // The client's promise (a trade to act on) is narrower than §5.3's "every field optional".
    if (typeof t.trade_status !== 'string' || typeof t.out_trade_no !== 'string') {
      throw new AlipayResponseError(
        'ERR_RESPONSE_UNEXPECTED',
        `${SERVICE}: reply has no <trade> with out_trade_no and trade_status`,
      );
    }
    return { ...t, trade_no: t.trade_no ?? '' } as QueriedTrade;
  });
}
