// The transport under the gateway client: one HTTP exchange over node:http(s) with keep-alive
// agents (or the `fetch` a merchant injects), and the one retry loop, which repeats an operation
// only where the caller says it is safe (protocol §6.3). Errors are AlipayTransportErrors whose
// messages name the operation, never the URL (it may carry a signature).
//
// No ky: its retries act before the body is read, but what makes a gateway call worth repeating
// is often in the body (truncated XML, SYSTEM_ERROR, a download cut mid-stream) and what makes it
// unsafe is who has seen the body (onRow): a second loop would still be needed. Over Node's fetch
// it also cost P2.notify_verify throughput (issue 16 point 3; figures in the commit message).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable, finished } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { AlipayResponseError, AlipayTransportError, isAlipayError, type Charset } from '@alipay-kit/core';
import { decodeText, normalizeCharset } from '@alipay-kit/core/encoding';

/** Retry policy. Applied only to operations that are safe to repeat. */
export interface RetryOptions {
  /** Extra attempts after the first. Default 2. */
  limit?: number;
  /** First backoff delay in ms, doubled each time, with jitter. Default 200. */
  backoffMs?: number;
  /** Cap on a single delay. Default 2000. */
  maxBackoffMs?: number;
}

export interface HttpConfig {
  timeoutMs: number;
  retry: Required<RetryOptions>;
  /** Injected `fetch` (tests, proxies); node:http(s) when absent. */
  fetch?: typeof globalThis.fetch;
}

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  contentType?: string;
  /** The operation, for error messages. */
  label: string;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
}

export interface Http {
  /**
   * One exchange; a non-2xx status rejects with `ERR_HTTP_STATUS`. `consume` reads the body; the
   * timeout covers the whole exchange, and the promise settles only once `consume` has (a cut
   * body surfaces from `consume` as `ERR_NETWORK` / `ERR_TIMEOUT`, an Alipay error unchanged).
   */
  send<T>(req: HttpRequest, consume: (res: HttpResponse) => Promise<T>): Promise<T>;
  /**
   * Run `attempt` up to 1 + limit times while it throws a retryable error ({@link _isRetryable}).
   * `safe` says whether the operation may be repeated at all; a function decides after each
   * failure, for operations that stop being repeatable part-way (a streamed download once a row
   * has reached the caller: repeating it would hand that row over twice).
   *
   * @example
   * ```ts
   * let delivered = 0
   * await http.withRetry('forex_compare_file', () => delivered === 0, () => download((row) => (delivered++, onRow(row))))
   * ```
   */
  withRetry<T>(
    label: string,
    safe: boolean | ((error: unknown) => boolean),
    attempt: (n: number) => Promise<T>,
  ): Promise<T>;
}

/** Errors worth repeating on a safe operation: transport trouble, 5xx, a truncated reply, SYSTEM_ERROR. */
export function _isRetryable(e: unknown): boolean {
  if (!isAlipayError(e)) return false;
  if (e.code === 'ERR_TIMEOUT' || e.code === 'ERR_NETWORK' || e.code === 'ERR_XML_MALFORMED') return true;
  if (e.code === 'ERR_HTTP_STATUS') return (e.status ?? 0) >= 500 || e.status === 429;
  if (e.code === 'ERR_GATEWAY' || e.code === 'ERR_FILE_REQUEST')
    return (
      /^(SYSTEM_ERROR|SYSTEM_EXCEPTION)$/.test(e.gatewayCode ?? '') ||
      /System exception|Internet connected exception/i.test(e.message)
    );
  return false;
}

type Exchange = <T>(
  req: HttpRequest,
  consume: (res: HttpResponse) => Promise<T>,
  timedOut: () => boolean,
  onTimeout: (abort: () => void) => void,
) => Promise<T>;

/** Create the transport of one client (its keep-alive agents live as long as the client). */
export function _createHttp(config: HttpConfig): Http {
  const exchange = config.fetch ? _fetchExchange(config.fetch, config.timeoutMs) : _nodeExchange(config.timeoutMs);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    async send(req, consume) {
      let expired = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        return await exchange(
          req,
          consume,
          () => expired,
          (abort) => {
            timer = setTimeout(() => {
              expired = true;
              abort();
            }, config.timeoutMs);
          },
        );
      } finally {
        clearTimeout(timer);
      }
    },
    async withRetry(label, safe, attempt) {
      const limit = safe === false ? 0 : config.retry.limit;
      for (let n = 1; ; n++) {
        try {
          return await attempt(n);
        } catch (e) {
          if (n > limit || !_isRetryable(e) || (typeof safe === 'function' && !safe(e))) throw e;
          const base = Math.min(config.retry.maxBackoffMs, config.retry.backoffMs * 2 ** (n - 1));
          await sleep(base / 2 + Math.random() * (base / 2));
        }
      }
    },
  };
}

/** A failure before the response arrived. */
function requestFailure(req: HttpRequest, e: unknown, expired: boolean, timeoutMs: number): AlipayTransportError {
  if (expired)
    return new AlipayTransportError('ERR_TIMEOUT', `${req.label}: gateway did not answer within ${timeoutMs} ms`);
  return new AlipayTransportError('ERR_NETWORK', `${req.label}: network error talking to the gateway (${errName(e)})`);
}

function status(req: HttpRequest, code: number): AlipayTransportError {
  return new AlipayTransportError('ERR_HTTP_STATUS', `${req.label}: gateway answered HTTP ${code}`, { status: code });
}

/** A failure while `consume` read the body: Alipay errors (and the caller's own) pass; the rest is a cut body. */
function readFailure(req: HttpRequest, e: unknown, expired: boolean, timeoutMs: number): unknown {
  if (isAlipayError(e) || !isStreamError(e)) return e;
  if (expired)
    return new AlipayTransportError(
      'ERR_TIMEOUT',
      `${req.label}: gateway reply was not complete within ${timeoutMs} ms`,
    );
  return new AlipayTransportError('ERR_NETWORK', `${req.label}: reading the gateway reply failed (${errName(e)})`);
}

/** Errors that a broken connection raises while a body is read (Node streams, WHATWG streams, aborts). */
function isStreamError(e: unknown): boolean {
  const err = e as { code?: unknown; name?: unknown } | null;
  return (
    typeof err === 'object' &&
    err !== null &&
    ((typeof err.code === 'string' && /^(E[A-Z_]+|ERR_STREAM_PREMATURE_CLOSE|UND_ERR_[A-Z_]+)$/.test(err.code)) ||
      err.name === 'AbortError' ||
      err.name === 'TimeoutError' ||
      (e instanceof TypeError && /terminated|fetch failed/.test(e.message)))
  );
}

/** A query (from its `?`) that `new URL` leaves byte for byte as it is: no space, quote, `#`, `<`, `>`, control or non-ASCII. */
const PLAIN_QUERY = /^\?[A-Za-z0-9\-_.~%=&+*!(),;:@/]*$/;

/**
 * node:http's request options for `href`, or `undefined` when it is not a valid URL. The parse of
 * the part before `?` is kept: a gateway call differs from the last one only in its query (built
 * by `encodeForm`, already percent-encoded), which is appended as it is when `new URL` would not
 * change it; anything else is parsed in full (6 µs of a 45 µs notify_verify exchange).
 */
export function _requestTarget(): (href: string) => RequestOptions | undefined {
  let last: { head: string; options: RequestOptions; pathname: string } | undefined;
  return (href) => {
    const q = href.indexOf('?');
    const head = q === -1 ? href : href.slice(0, q);
    const query = q === -1 ? '' : href.slice(q);
    if (last !== undefined && last.head === head && (query === '' || (query.length > 1 && PLAIN_QUERY.test(query))))
      return { ...last.options, path: last.pathname + query };
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return undefined;
    }
    const options = urlToHttpOptions(url);
    if (url.hash === '' && url.search === (query === '?' ? '' : query)) {
      const {
        path: _path,
        search: _search,
        href: _href,
        pathname,
        ...host
      } = options as RequestOptions & {
        search?: string;
        href?: string;
        pathname?: string;
      };
      last = { head, options: host, pathname: pathname ?? '/' };
    }
    return options;
  };
}

/** node:http(s) with keep-alive agents. Redirects are not followed: a 3xx is a status like any other. */
function _nodeExchange(timeoutMs: number): Exchange {
  const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };
  const targetOf = _requestTarget();
  return (req, consume, timedOut, onTimeout) =>
    new Promise((resolve, reject) => {
      const target = targetOf(req.url);
      if (target === undefined)
        return reject(new AlipayTransportError('ERR_NETWORK', `${req.label}: the gateway URL is not valid`));
      const protocol = target.protocol;
      if (protocol !== 'http:' && protocol !== 'https:')
        return reject(new AlipayTransportError('ERR_NETWORK', `${req.label}: unsupported protocol`));
      const headers: Record<string, string | number> = {};
      if (req.body !== undefined) {
        headers['content-type'] = req.contentType ?? 'application/x-www-form-urlencoded';
        headers['content-length'] = Buffer.byteLength(req.body);
      }
      let reading = false;
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const r = send({ ...target, method: req.method, headers, agent: agents[protocol] }, (res: IncomingMessage) => {
        const code = res.statusCode ?? 0;
        if (code < 200 || code > 299) {
          res.resume();
          return reject(status(req, code));
        }
        reading = true;
        // Settles only when consume does: no row of this attempt can follow a retry's first row.
        consume({ status: code, contentType: res.headers['content-type'] ?? '', body: res }).then(resolve, (e) =>
          reject(readFailure(req, e, timedOut(), timeoutMs)),
        );
      });
      onTimeout(() => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      r.on('error', (e) => {
        // Before the response: the request failed. While reading, consume reports it.
        if (!reading) reject(requestFailure(req, e, timedOut(), timeoutMs));
      });
      r.end(req.body);
    });
}

/** The injected `fetch`; the timeout aborts its signal. */
function _fetchExchange(fetch: typeof globalThis.fetch, timeoutMs: number): Exchange {
  return async (req, consume, timedOut, onTimeout) => {
    const ac = new AbortController();
    onTimeout(() => ac.abort());
    const init: RequestInit = { method: req.method, signal: ac.signal };
    if (req.body !== undefined) {
      init.body = req.body;
      init.headers = { 'content-type': req.contentType ?? 'application/x-www-form-urlencoded' };
    }
    let res: Response;
    try {
      res = await fetch(req.url, init);
    } catch (e) {
      throw requestFailure(req, e, timedOut(), timeoutMs);
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => {});
      throw status(req, res.status);
    }
    const body: AsyncIterable<Uint8Array> = res.body ?? (async function* () {})();
    try {
      return await consume({ status: res.status, contentType: res.headers.get('content-type') ?? '', body });
    } catch (e) {
      throw readFailure(req, e, timedOut(), timeoutMs);
    }
  };
}

function errName(e: unknown): string {
  const code = (e as { code?: unknown })?.code ?? (e as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.name : 'unknown';
}

/** Read a whole body with a byte cap. */
export function _readAll(body: AsyncIterable<Uint8Array>, maxBytes: number, label: string): Promise<Uint8Array> {
  return body instanceof Readable ? readStream(body, maxBytes, label) : readIterable(body, maxBytes, label);
}

async function readIterable(body: AsyncIterable<Uint8Array>, maxBytes: number, label: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    // Leaving the loop ends the iteration, which destroys the response stream.
    if (total > maxBytes)
      throw new AlipayResponseError('ERR_RESPONSE_TOO_LARGE', `${label}: gateway reply exceeds ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * {@link _readAll} over a Node stream (node:http's response), by its events: the same result and
 * errors as iterating it (a stream error as raised, an early close as Node's premature-close
 * error, the stream destroyed past the cap), without an async iterator and a promise per chunk
 * (a third of the client's own CPU for a short `notify_verify` reply).
 */
function readStream(body: Readable, maxBytes: number, label: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = false;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= maxBytes) return void chunks.push(chunk);
      tooLarge = true;
      body.off('data', onData);
      body.destroy();
    };
    body.on('data', onData);
    const stop = finished(body, (e) => {
      stop();
      body.off('data', onData);
      if (tooLarge)
        reject(new AlipayResponseError('ERR_RESPONSE_TOO_LARGE', `${label}: gateway reply exceeds ${maxBytes} bytes`));
      else if (e) reject(e);
      else resolve(Buffer.concat(chunks, total));
    });
  });
}

/** Charset of a reply: XML declaration, then Content-Type, then the configured one (§1.3 "Response encoding"). */
export function _replyCharset(bytes: Uint8Array, contentType: string, fallback: Charset): Charset {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 100));
  const decl = /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/.exec(head);
  const fromDecl = decl ? normalizeCharset(decl[1]) : undefined;
  if (fromDecl) return fromDecl;
  const ct = /charset=["']?([\w-]+)/i.exec(contentType);
  return (ct ? normalizeCharset(ct[1]) : undefined) ?? fallback;
}

export function _decode(bytes: Uint8Array, charset: Charset): string {
  return decodeText(bytes, charset);
}
