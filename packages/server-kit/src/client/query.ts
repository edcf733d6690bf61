// single_trade_query (protocol §5): signed XML reply, `<trade>` verified per §2.5.
import { AlipayResponseError, AlipayValidationError, readTradeQueryResponse } from '@alipay-kit/core';
import { _callXml, _signedParams, type ClientContext } from './context.js';

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

export async function _query(ctx: ClientContext, q: QueryParams): Promise<QueriedTrade> {
  if (typeof q !== 'object' || q === null || (!q.out_trade_no && !q.trade_no)) {
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'query needs out_trade_no or trade_no (§5.2)', { field: 'out_trade_no' });
  }
  const params = _signedParams(ctx, 'single_trade_query', { out_trade_no: q.out_trade_no, trade_no: q.trade_no });
  // Safe to repeat: a query has no side effect.
  return ctx.http.withRetry('single_trade_query', true, async () => {
    const xml = await _callXml(ctx, 'single_trade_query', params);
    const t = readTradeQueryResponse(xml) as Record<string, string>;
    if (typeof t.trade_status !== 'string' || typeof t.out_trade_no !== 'string') {
      throw new AlipayResponseError('ERR_RESPONSE_UNEXPECTED', 'single_trade_query: reply has no <trade> with out_trade_no and trade_status');
    }
    return { ...t, trade_no: t.trade_no ?? '' } as QueriedTrade;
  });
}
