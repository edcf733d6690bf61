/**
 * One factory that turns a gateway failure into an {@link AlipayGatewayError} (style.md §6),
 * keeping the gateway's code verbatim in `gatewayCode`.
 *
 * @module
 */
import { AlipayGatewayError } from '../errors.js';
import type { GatewayXmlResult } from './parse.js';

// Codes are printed in messages; keep them short and printable.
function printable(code: string): string {
  const c = code.length > 64 ? code.slice(0, 64) + '…' : code;
  return c.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * An `AlipayGatewayError` (`ERR_GATEWAY`) for a reply with `is_success=F`, with the
 * `<error>` code verbatim in `gatewayCode` (`ILLEGAL_SIGN`, `TRADE_NOT_EXIST`, …). For an
 * `is_success=T` reply whose object carries a business `result_code` other than `SUCCESS`
 * (secondary-merchant services, §1.5, §11.3), the code comes from `result_code`, then
 * `detail_error_code`, then `error`. A reply with no failure still gets an error (code
 * `UNKNOWN`) so a caller that decided to fail always has one to throw.
 *
 * @example
 * ```ts
 * const r = parseGatewayXml(body)
 * if (r.is_success === 'F') throw gatewayErrorFrom(r) // e.gatewayCode === 'TRADE_NOT_EXIST'
 * ```
 */
export function gatewayErrorFrom(result: GatewayXmlResult): AlipayGatewayError {
  let code: string | undefined;
  if (result.is_success === 'F') code = result.error;
  else {
    const f = result.response?.fields;
    const rc = f?.result_code;
    if (rc !== undefined && rc !== 'SUCCESS') code = rc || f?.detail_error_code || f?.error;
  }
  const gatewayCode = code === undefined || code === '' ? 'UNKNOWN' : code;
  return new AlipayGatewayError('ERR_GATEWAY', `gateway answered ${printable(gatewayCode)}`, { gatewayCode });
}
