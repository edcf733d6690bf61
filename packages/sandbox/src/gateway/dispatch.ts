/**
 * `gateway.do` dispatch: §1.6 checks, then the service. Media types per §1.6 decision: the
 * cashier services answer HTML (error page §3.7), notify_verify plain text, everything else
 * XML (the file services answer XML for gateway-level errors and text for their own).
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import { errorPage, cashierPage } from '../cashier/page.js';
import { openSession } from '../cashier/flow.js';
import { cashierMerchantName, partnerLabel } from '../cashier/merchant-name.js';
import { validateCreateTrade } from '../services/create-trade.js';
import { forexFile } from '../services/files.js';
import { notifyVerify } from '../services/notify-verify.js';
import { singleTradeQuery } from '../services/query.js';
import { forexRateFile } from '../services/rate-file.js';
import { forexRefund } from '../services/refund.js';
import { secmerchantMaintain, secmerchantQueryStatus } from '../services/secmerchant.js';
import { xmlFailure } from '../lib/xml.js';
import { checkGatewayRequest } from './checks.js';
import type { ParsedRequest } from './parse.js';
import { file, html, text, xml, type GatewayResult } from './result.js';
import { serviceInfo } from './services.js';

/** A dispatched request: the answer, plus the cashier session or error code when relevant. */
export interface Dispatched {
  result: GatewayResult;
  sessionId?: string;
  errorCode?: string;
  /** Why, in words, when the service knows more than the code. */
  errorDetail?: string;
}

/** Answer one parsed gateway request. */
export function dispatchGateway(ctx: SandboxContext, parsed: ParsedRequest): Dispatched {
  // With a conflicting `service` the media type follows the first value received.
  const kind = serviceInfo(parsed.params.service)?.kind ?? 'xml';
  if (kind === 'verify') return { result: text(notifyVerify(ctx, parsed)) };
  const checked = checkGatewayRequest(ctx, parsed);
  if (!checked.ok) {
    ctx.log(`gateway ${parsed.params.service ?? '(no service)'} → ${checked.code}`);
    return {
      result: kind === 'cashier' ? html(errorPage(checked.code)) : xml(xmlFailure(checked.code)),
      errorCode: checked.code,
    };
  }
  const req = checked.request;
  switch (req.service) {
    case 'create_forex_trade':
    case 'create_forex_trade_wap': {
      const v = validateCreateTrade(ctx, req);
      if (!v.ok) {
        ctx.log(`gateway ${req.service} → ${v.code}`);
        return {
          result: html(errorPage(v.code, v.detail)),
          errorCode: v.code,
          ...(v.detail === undefined ? {} : { errorDetail: v.detail }),
        };
      }
      const sessionId = openSession(ctx, v.order);
      return {
        result: html(
          cashierPage({
            base: ctx.publicBaseUrl,
            sessionId,
            merchantName: cashierMerchantName(ctx, v.order),
            registeredName: partnerLabel(ctx, req.partner),
            order: v.order,
          }),
        ),
        sessionId,
      };
    }
    case 'single_trade_query':
      return { result: xml(singleTradeQuery(ctx, req)) };
    case 'forex_refund':
      return { result: xml(forexRefund(ctx, req)) };
    case 'forex_compare_file':
    case 'forex_liquidation_file':
      return { result: file(forexFile(ctx, req)) };
    case 'forex_rate_file':
      return { result: file(forexRateFile(ctx)) };
    case 'alipay.overseas.secmerchant.online.maintain':
      return { result: xml(secmerchantMaintain(ctx, req)) };
    case 'alipay.overseas.secmerchant.maintain.queryStatus':
      return { result: xml(secmerchantQueryStatus(ctx, req)) };
    default:
      return { result: xml(xmlFailure('ILLEGAL_SERVICE')), errorCode: 'ILLEGAL_SERVICE' };
  }
}
