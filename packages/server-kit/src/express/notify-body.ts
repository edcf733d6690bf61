// The raw body of POST /notify, read straight off the request stream. The notification is
// decoded in the configured charset (§2.4 step 1), so no Express body parser may touch it; this
// reader is also several times lighter than body-parser's (no content-type negotiation, no
// async-hook scopes), which matters on the one route the gateway can storm (§4 retries).
import type { Request } from 'express';

/** Why POST /notify refused a notification (body, signature, cross-check): it answers `fail` and logs `code: detail`. */
export class _NotifyReject extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Largest notification body accepted. Real ones are under 2 KiB (§3.9 has about 20 fields). */
export const _NOTIFY_BODY_LIMIT = 64 * 1024;

/**
 * Resolve with the request body as bytes, or reject with {@link _NotifyReject}: a body over
 * `limit` bytes, a compressed body, or a body an earlier middleware already consumed (an
 * `express.urlencoded()` mounted before the router). A body another middleware kept as bytes
 * (`express.raw()`) is used as is. A client that goes away mid-body rejects too (its `fail`
 * answer goes nowhere); the stream's `error` is always handled, so it never crashes the process.
 */
export function _readNotifyBody(req: Request, limit = _NOTIFY_BODY_LIMIT): Promise<Buffer> {
  const ready: unknown = req.body;
  if (Buffer.isBuffer(ready)) return Promise.resolve(ready);
  if (ready !== undefined || req.readableEnded) {
    return Promise.reject(new _NotifyReject('ERR_CONFIG', 'the notification body was consumed by a body parser mounted before alipayRouter; mount the router first'));
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    req.resume();
    return Promise.reject(new _NotifyReject('ERR_NOTIFICATION_INVALID', 'compressed notification body'));
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(new _NotifyReject('ERR_NOTIFICATION_INVALID', 'notification body is too large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return; // keep draining so the connection can answer `fail`
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('error', () => reject(new _NotifyReject('ERR_NOTIFICATION_INVALID', 'the request was aborted mid-body')));
    req.on('end', () => {
      if (over) reject(new _NotifyReject('ERR_NOTIFICATION_INVALID', 'notification body is too large'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
  });
}
