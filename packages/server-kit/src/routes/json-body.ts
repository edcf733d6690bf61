// The JSON body of POST /checkout, /return, /refunds, /reconcile: at most 32 KiB of UTF-8, an
// object or an array (strict), read only when it says `application/json` — a cross-site form
// cannot send that type without a CORS preflight. A body a framework parser already read is used.
import { _errorAnswer } from './errors.js';
import { _BodyReadError, type _HttpAnswer, type _HttpRequest } from './http.js';

/** Largest JSON body accepted. */
export const _JSON_BODY_LIMIT = 32 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The parsed body (`undefined` for a request that is not JSON), or the answer refusing it. */
export async function _readJsonBody(req: _HttpRequest): Promise<{ body: unknown } | { answer: _HttpAnswer }> {
  const ready = req.parsedBody();
  if (ready !== undefined) return { body: ready };
  if (!JSON_TYPE.test(req.header('content-type') ?? '')) return { body: undefined };
  let bytes: Uint8Array;
  try {
    bytes = await req.readBody(_JSON_BODY_LIMIT);
  } catch (e) {
    const reason = e instanceof _BodyReadError ? e.reason : 'aborted';
    if (reason === 'too_large') return { answer: _errorAnswer(413, 'ERR_INVALID_PARAMS', 'body is too large') };
    if (reason === 'compressed')
      return { answer: _errorAnswer(415, 'ERR_INVALID_PARAMS', 'compressed bodies are not accepted') };
    if (reason === 'consumed') return { body: undefined };
    return { answer: _errorAnswer(400, 'ERR_INVALID_PARAMS', 'the request was aborted mid-body') };
  }
  if (bytes.length === 0) return { body: {} };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { answer: _errorAnswer(400, 'ERR_INVALID_PARAMS', 'body is not valid UTF-8') };
  }
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[')
    return { answer: _errorAnswer(400, 'ERR_INVALID_PARAMS', 'body is not valid JSON') };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { answer: _errorAnswer(400, 'ERR_INVALID_PARAMS', 'body is not valid JSON') };
  }
}
