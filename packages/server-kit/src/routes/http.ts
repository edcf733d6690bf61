// The framework-neutral HTTP exchange every route works on: a request each adapter builds from its
// framework's own (Express: express/router.ts, Fetch: fetch/handler.ts) and an answer it sends.
// One implementation of the routes behind two thin adapters.
import type { AlipayHookRequest } from './options.js';

/** Why a request body could not be read. */
export type _BodyFailure = 'too_large' | 'consumed' | 'compressed' | 'aborted';

/** A body that could not be read; each route turns `reason` into its own answer. */
export class _BodyReadError extends Error {
  constructor(readonly reason: _BodyFailure) {
    super(`request body: ${reason}`);
    this.name = '_BodyReadError';
  }
}

/** The request as the routes see it. Built per request by an adapter. */
export interface _HttpRequest<R extends AlipayHookRequest = AlipayHookRequest> {
  /** Upper case: `GET`, `POST`, … */
  readonly method: string;
  /** Below the mount point, still percent-encoded, starting with `/`, without the query. */
  readonly path: string;
  /** The raw query string, without `?` (`''` when there is none). */
  readonly rawQuery: string;
  /** A request header (case-insensitive name). */
  header(name: string): string | undefined;
  /** The peer address when the runtime knows it (never trusted, only recorded). */
  readonly remoteAddress: string | null;
  /**
   * The raw body, at most `limit` bytes. Rejects with {@link _BodyReadError}: over the limit, a
   * compressed body, a body another middleware already consumed, a client gone mid-body.
   */
  readBody(limit: number): Promise<Uint8Array>;
  /** A body the framework already parsed before the routes saw the request (Express parsers), else undefined. */
  parsedBody(): unknown;
  /** The object handed to `resolveOrder` / `authorize`, carrying the parsed JSON body. */
  hookRequest(body: unknown): R;
}

/** What a route answers; the adapter writes it out as is. */
export interface _HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

/** A JSON answer. Never cached: order tokens and live order states must not sit in a cache. */
export function _jsonAnswer(status: number, value: unknown): _HttpAnswer {
  const body = JSON.stringify(value);
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
    },
    body,
  };
}

/** A same-origin redirect (`location` is a path validated at startup). */
export function _redirectAnswer(location: string): _HttpAnswer {
  return { status: 303, headers: { location, 'cache-control': 'no-store' }, body: null };
}

const SUCCESS = new TextEncoder().encode('success');
const FAIL = new TextEncoder().encode('fail');

/** `/notify`'s answer to the gateway: the text only (§4), with its length, no ETag. */
export function _notifyAnswer(body: 'success' | 'fail'): _HttpAnswer {
  const bytes = body === 'success' ? SUCCESS : FAIL;
  return {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(bytes.length) },
    body: bytes,
  };
}
