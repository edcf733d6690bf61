// Request bodies under Express, read straight off the request stream. The notification is decoded
// in the configured charset (§2.4 step 1), so no Express body parser may touch it; this reader is
// also several times lighter than body-parser's (no content-type negotiation, no async-hook
// scopes), which matters on the one route the gateway can storm (§4 retries).
import type { IncomingMessage } from 'node:http';
import { _BodyReadError } from '../routes/http.js';

/** The Express request fields the reader uses (`body` is set by Express body parsers). */
export type _ExpressLikeRequest = IncomingMessage & { body?: unknown };

/**
 * Resolve with the request body as bytes, or reject with {@link _BodyReadError}: a body over
 * `limit` bytes, a compressed body, or a body an earlier middleware already consumed (an
 * `express.urlencoded()` mounted before the router). A body another middleware kept as bytes
 * (`express.raw()`) is used as is. A client that goes away mid-body rejects too (its answer goes
 * nowhere); the stream's `error` is always handled, so it never crashes the process.
 */
export function _readExpressBody(req: _ExpressLikeRequest, limit: number): Promise<Uint8Array> {
  const ready: unknown = req.body;
  if (Buffer.isBuffer(ready))
    return ready.length > limit ? Promise.reject(new _BodyReadError('too_large')) : Promise.resolve(ready);
  if (ready !== undefined || req.readableEnded) return Promise.reject(new _BodyReadError('consumed'));
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    req.resume();
    return Promise.reject(new _BodyReadError('compressed'));
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(new _BodyReadError('too_large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return; // keep draining so the connection can still answer
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('error', () => reject(new _BodyReadError('aborted')));
    req.on('end', () => {
      if (over) reject(new _BodyReadError('too_large'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
  });
}
