// notify_verify (protocol §7): core's validateNotifyVerify → unsigned GET with exactly service,
// partner, notify_id (§7 decision) → core's readNotifyVerifyResponse; only `true` confirms.
import { encodeForm } from '@alipay-kit/core/encoding';
import { _decode, _readAll } from '../lib/http.js';
import { _request, type ClientContext } from './context.js';
import { _OPERATIONS } from './services.js';

const SERVICE = 'notify_verify';

export async function _notifyVerify(ctx: ClientContext, notifyId: string): Promise<boolean> {
  const { service, partner, notify_id } = _request(ctx, SERVICE, { notify_id: notifyId });
  const url =
    ctx.gatewayUrl +
    (ctx.gatewayUrl.includes('?') ? '&' : '?') +
    encodeForm({ service: service!, partner: partner!, notify_id: notify_id! }, 'utf-8');
  const get = () =>
    ctx.http.send({ url, method: 'GET', label: SERVICE }, async (res) =>
      _decode(await _readAll(res.body, 4096, SERVICE), 'utf-8'),
    );
  return ctx.http.withRetry(SERVICE, true, async () => _OPERATIONS[SERVICE].read(await get()) === 'true');
}
