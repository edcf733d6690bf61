// notify_verify (protocol §7 decision): unsigned GET with exactly service, partner, notify_id;
// only the body `true` (whitespace ignored) confirms.
import { AlipayValidationError, encodeForm } from '@alipay-kit/core';
import type { ClientContext } from './context.js';

export async function _notifyVerify(ctx: ClientContext, notifyId: string): Promise<boolean> {
  if (typeof notifyId !== 'string' || notifyId === '' || notifyId.length > 128) {
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'notify_id must be a non-empty string', { field: 'notify_id' });
  }
  const url = ctx.gatewayUrl + (ctx.gatewayUrl.includes('?') ? '&' : '?') + encodeForm({ service: 'notify_verify', partner: ctx.partner, notify_id: notifyId }, 'utf-8');
  return ctx.http.withRetry('notify_verify', true, async () => (await ctx.http.getText(url, 4096, 'notify_verify')).trim() === 'true');
}
