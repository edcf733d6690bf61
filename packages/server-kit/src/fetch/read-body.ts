// Request bodies on Fetch runtimes: the bytes of a `Request`, at most `limit` of them, read from
// its stream so that an oversized body is cut off rather than buffered whole. The same refusals as
// under Express (express/read-body.ts): too large, compressed, already read, aborted.
import { _BodyReadError } from '../routes/http.js';

/** Read `request`'s body as bytes (empty when it has none), or reject with {@link _BodyReadError}. */
export async function _readFetchBody(request: Request, limit: number): Promise<Uint8Array> {
  if (request.bodyUsed) throw new _BodyReadError('consumed');
  const encoding = request.headers.get('content-encoding');
  if (encoding !== null && encoding.toLowerCase() !== 'identity') throw new _BodyReadError('compressed');
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw new _BodyReadError('too_large');
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new _BodyReadError('too_large');
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof _BodyReadError) throw e;
    throw new _BodyReadError('aborted');
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
