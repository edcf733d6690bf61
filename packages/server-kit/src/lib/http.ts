// The transport under the gateway client: ky with our own retry loop, so that retries happen
// only where the caller says they are safe (protocol §6.3) and ky's errors never leak.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import { AlipayResponseError, AlipayTransportError, decodeText, isAlipayError, normalizeCharset, type Charset } from '@alipay-kit/core';

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
  fetch?: typeof globalThis.fetch;
  maxBytes: number;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  body: ReadableStream<Uint8Array> | null;
}

export interface Http {
  /** One HTTP exchange; rejects only with AlipayTransportError. `consume` reads the body. */
  send<T>(req: { url: string; method: 'GET' | 'POST'; body?: string; contentType?: string; label: string }, consume: (res: HttpResponse) => Promise<T>): Promise<T>;
  /**
   * GET a small text reply (notify_verify). Same errors as `send`; with the default transport it
   * skips ky and the WHATWG Request/Response objects, because it runs once per notification.
   */
  getText(url: string, maxBytes: number, label: string): Promise<string>;
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
  withRetry<T>(label: string, safe: boolean | ((error: unknown) => boolean), attempt: (n: number) => Promise<T>): Promise<T>;
}

/** Errors worth repeating on a safe operation: transport trouble, 5xx, a truncated reply, SYSTEM_ERROR. */
export function _isRetryable(e: unknown): boolean {
  if (!isAlipayError(e)) return false;
  if (e.code === 'ERR_TIMEOUT' || e.code === 'ERR_NETWORK' || e.code === 'ERR_XML_MALFORMED') return true;
  if (e.code === 'ERR_HTTP_STATUS') return (e.status ?? 0) >= 500 || e.status === 429;
  if (e.code === 'ERR_GATEWAY' || e.code === 'ERR_FILE_REQUEST') return /^(SYSTEM_ERROR|SYSTEM_EXCEPTION)$/.test(e.gatewayCode ?? '') || /System exception|Internet connected exception/i.test(e.message);
  return false;
}

/**
 * The `fetch` ky uses by default: one exchange over node:http(s) with keep-alive agents. Node's
 * built-in fetch costs about twice the CPU of node:http per call (measured for notify_verify,
 * which runs once per notification); ky still builds the Request, applies the timeout (it
 * aborts the Request's signal) and hands back the Response. Redirects are not followed (the
 * gateway answers 200 or an error), a 3xx is an HTTP status like any other.
 */
type Agents = { 'http:': HttpAgent; 'https:': HttpsAgent };
const newAgents = (): Agents => ({ 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) });

export function _nodeFetch(agents: Agents = newAgents()): typeof globalThis.fetch {
  const failed = (cause: unknown) => new TypeError('fetch failed', { cause });
  return async function nodeFetch(input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit): Promise<Response> {
    const req = input instanceof Request ? input : new Request(input, init);
    const url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw failed(new Error(`unsupported protocol ${url.protocol}`));
    const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
    const signal = req.signal;
    if (signal.aborted) throw signal.reason;
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => void (headers[k] = v));
    if (body) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const onAbort = () => r.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const r = send(url, { method: req.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (res: IncomingMessage) => {
        let ended = false;
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            res.on('data', (d: Buffer) => {
              c.enqueue(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
              if ((c.desiredSize ?? 1) <= 0) res.pause();
            });
            res.on('end', () => {
              ended = true;
              signal.removeEventListener('abort', onAbort);
              c.close();
            });
            res.on('error', (e) => c.error(failed(e)));
            res.on('close', () => {
              if (!ended) c.error(failed(new Error('terminated')));
            });
          },
          pull() {
            res.resume();
          },
          cancel() {
            signal.removeEventListener('abort', onAbort);
            res.destroy();
          },
        });
        const h = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode ?? 0;
        const nullBody = status === 204 || status === 304 || req.method === 'HEAD';
        resolve(new Response(nullBody ? null : stream, { status: status >= 200 && status <= 599 ? status : 502, headers: h }));
        if (nullBody) res.resume();
      });
      signal.addEventListener('abort', onAbort, { once: true });
      r.on('error', (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? signal.reason : failed(e));
      });
      r.end(body);
    });
  };
}

export function _createHttp(config: HttpConfig): Http {
  // Created once per client: per call, ky only builds the Request.
  const agents = newAgents();
  const client: KyInstance = ky.create({ retry: 0, timeout: config.timeoutMs, throwHttpErrors: false, fetch: config.fetch ?? _nodeFetch(agents) });
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const getOptions = { method: 'GET' } as const;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    async send(req, consume) {
      let res: Response;
      try {
        res = await client(
          req.url,
          req.body === undefined
            ? req.method === 'GET'
              ? getOptions
              : { method: req.method }
            : { method: req.method, body: req.body, headers: req.contentType === undefined ? formHeaders : { 'content-type': req.contentType } },
        );
      } catch (e) {
        // Messages name the operation, never the URL (it may carry a signature).
        if (e instanceof TimeoutError) throw new AlipayTransportError('ERR_TIMEOUT', `${req.label}: gateway did not answer within ${config.timeoutMs} ms`);
        if (e instanceof HTTPError) throw new AlipayTransportError('ERR_HTTP_STATUS', `${req.label}: gateway answered HTTP ${e.response.status}`, { status: e.response.status });
        throw new AlipayTransportError('ERR_NETWORK', `${req.label}: network error talking to the gateway (${errName(e)})`);
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel().catch(() => {});
        throw new AlipayTransportError('ERR_HTTP_STATUS', `${req.label}: gateway answered HTTP ${res.status}`, { status: res.status });
      }
      try {
        return await consume({ status: res.status, contentType: res.headers.get('content-type') ?? '', body: res.body });
      } catch (e) {
        if (isAlipayError(e)) throw e;
        if (e instanceof TimeoutError || (e as Error)?.name === 'TimeoutError' || (e as Error)?.name === 'AbortError') {
          throw new AlipayTransportError('ERR_TIMEOUT', `${req.label}: gateway reply was not complete within ${config.timeoutMs} ms`);
        }
        throw new AlipayTransportError('ERR_NETWORK', `${req.label}: reading the gateway reply failed (${errName(e)})`);
      }
    },
    getText(url, maxBytes, label) {
      if (config.fetch) return this.send({ url, method: 'GET', label }, async (res) => _decode(await _readAll(res.body, maxBytes, label), 'utf-8'));
      return _getText(agents, url, maxBytes, label, config.timeoutMs);
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

function errName(e: unknown): string {
  const code = (e as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.name : 'unknown';
}

/** Read a whole body with a byte cap. */
export async function _readAll(body: ReadableStream<Uint8Array> | null, maxBytes: number, label: string): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AlipayResponseError('ERR_RESPONSE_TOO_LARGE', `${label}: gateway reply exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
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


/** One keep-alive GET over node:http(s) for a small UTF-8 body, with ky-equivalent errors. */
function _getText(agents: Agents, url: string, maxBytes: number, label: string, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return reject(new AlipayTransportError('ERR_NETWORK', `${label}: the gateway URL is not valid`));
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(new AlipayTransportError('ERR_NETWORK', `${label}: unsupported protocol`));
    let settled = false;
    const done = (e: Error | undefined, text?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve(text!);
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'GET', agent: agents[target.protocol] }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        return done(new AlipayTransportError('ERR_HTTP_STATUS', `${label}: gateway answered HTTP ${status}`, { status }));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > maxBytes) {
          res.destroy();
          return done(new AlipayResponseError('ERR_RESPONSE_TOO_LARGE', `${label}: reply is larger than ${maxBytes} bytes`));
        }
        chunks.push(d);
      });
      res.on('end', () => done(undefined, Buffer.concat(chunks).toString('utf8')));
      res.on('error', (e) => done(new AlipayTransportError('ERR_NETWORK', `${label}: reading the gateway reply failed (${errName({ cause: e })})`)));
      res.on('aborted', () => done(new AlipayTransportError('ERR_NETWORK', `${label}: reading the gateway reply failed (terminated)`)));
    });
    const timer = setTimeout(() => {
      done(new AlipayTransportError('ERR_TIMEOUT', `${label}: gateway did not answer within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    // Messages name the operation, never the URL.
    req.on('error', (e) => done(new AlipayTransportError('ERR_NETWORK', `${label}: network error talking to the gateway (${errName({ cause: e })})`)));
    req.end();
  });
}
