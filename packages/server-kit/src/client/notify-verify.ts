// notify_verify (protocol §7 decision): unsigned GET with exactly service, partner, notify_id;
// only the body `true` (whitespace ignored) confirms.
import { AlipayValidationError, encodeForm } from '@alipay-kit/core';
import { _decode, _readAll } from '../lib/http.js';
import type { ClientContext } from './context.js';

export async function _notifyVerify(ctx: ClientContext, notifyId: string): Promise<boolean> {
  if (typeof notifyId !== 'string' || notifyId === '' || notifyId.length > 128) {
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'notify_id must be a non-empty string', { field: 'notify_id' });
  }
  const url = ctx.gatewayUrl + (ctx.gatewayUrl.includes('?') ? '&' : '?') + encodeForm({ service: 'notify_verify', partner: ctx.partner, notify_id: notifyId }, 'utf-8');
  return ctx.http.withRetry('notify_verify', true, () =>
    ctx.http.send({ url, method: 'GET', label: 'notify_verify' }, async (res) => {
      const body = _decode(await _readAll(res.body, 4096, 'notify_verify'), 'utf-8');
      return body.trim() === 'true';
    }),
  );
}
