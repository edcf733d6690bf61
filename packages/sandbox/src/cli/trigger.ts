/**
 * `alipay-sandbox trigger <payment|refund>`: POST one correctly signed notification (§3.9 or
 * §6.6 fields, §1.4 rule 7 encoding) to a merchant endpoint, like `stripe trigger`.
 *
 * @module
 */
import { sign as cryptoSign } from 'node:crypto';
import { buildPreSignString, md5SignString } from '@alipay-kit/core';
import { encodeForm, encodeText, normalizeCharset } from '@alipay-kit/core/encoding';
import { importPrivateKey } from '../crypto/keys.js';
import { newNotifyId, newTradeNo } from '../lib/ids.js';
import { formatGmt8 } from '../lib/time.js';

/** Options of {@link triggerNotification}. */
export interface TriggerOptions {
  kind: 'payment' | 'refund';
  to: string;
  partner: string;
  md5Key?: string;
  /** PEM/base64 private key ("Alipay's", i.e. the sandbox's) for RSA/RSA2. */
  privateKey?: string;
  signType?: 'MD5' | 'RSA' | 'RSA2';
  charset?: string;
  outTradeNo?: string;
  tradeNo?: string;
  totalFee?: string;
  currency?: string;
  outReturnNo?: string;
  refundStatus?: 'REFUND_SUCCESS' | 'REFUND_FAIL';
  tradeStatus?: string;
  fetch?: typeof fetch;
}

/** Build, sign and send the notification; resolves the merchant's answer. */
export async function triggerNotification(
  o: TriggerOptions,
): Promise<{ status: number; body: string; sent: Record<string, string> }> {
  const charset = normalizeCharset(o.charset ?? 'utf-8');
  if (!charset) throw new TypeError('--charset must be utf-8 or gbk');
  const signType = o.signType ?? (o.md5Key ? 'MD5' : 'RSA2');
  const now = Date.now();
  const fields: Record<string, string> = {
    notify_id: newNotifyId(),
    notify_type: o.kind === 'payment' ? 'trade_status_sync' : 'refund_status_sync',
    notify_time: formatGmt8(now),
  };
  const outTradeNo = o.outTradeNo ?? `TRIGGER-${now}`;
  if (o.kind === 'payment') {
    Object.assign(fields, {
      out_trade_no: outTradeNo,
      trade_no: o.tradeNo ?? newTradeNo(now),
      total_fee: o.totalFee ?? '1.00',
      currency: o.currency ?? 'USD',
      trade_status: o.tradeStatus ?? 'TRADE_FINISHED',
    });
  } else {
    const status = o.refundStatus ?? 'REFUND_SUCCESS';
    Object.assign(fields, {
      out_trade_no: outTradeNo,
      out_return_no: o.outReturnNo ?? `R-${now}`,
      refund_status: status,
    });
    if (status === 'REFUND_FAIL') fields.error_code = 'SYSTEM_EXCEPTION';
    Object.assign(fields, { return_amount: o.totalFee ?? '1.00', currency: o.currency ?? 'USD' });
  }
  const pre = buildPreSignString(fields);
  let sign: string;
  if (signType === 'MD5') {
    if (!o.md5Key) throw new TypeError('--md5-key is required for MD5');
    sign = md5SignString(pre, o.md5Key, { charset });
  } else {
    if (!o.privateKey) throw new TypeError('--private-key is required for RSA/RSA2');
    sign = cryptoSign(
      signType === 'RSA2' ? 'sha256' : 'sha1',
      Buffer.from(encodeText(pre, charset)),
      importPrivateKey(o.privateKey, '--private-key'),
    ).toString('base64');
  }
  const sent = { ...fields, sign, sign_type: signType };
  const res = await (o.fetch ?? fetch)(o.to, {
    method: 'POST',
    headers: { 'Content-Type': `application/x-www-form-urlencoded; charset=${charset === 'gbk' ? 'GBK' : 'UTF-8'}` },
    body: encodeForm(sent, charset),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text(), sent };
}
