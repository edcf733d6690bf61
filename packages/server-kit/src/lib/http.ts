// The transport under the gateway client: ky with our own retry loop, so that retries happen
// only where the caller says they are safe (protocol §6.3) and ky's errors never leak.
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
  /** Run `attempt` up to 1 + limit times while it throws a retryable error. */
  withRetry<T>(label: string, safe: boolean, attempt: (n: number) => Promise<T>): Promise<T>;
}

/** Errors worth repeating on a safe operation: transport trouble, 5xx, a truncated reply, SYSTEM_ERROR. */
export function _isRetryable(e: unknown): boolean {
  if (!isAlipayError(e)) return false;
  if (e.code === 'ERR_TIMEOUT' || e.code === 'ERR_NETWORK' || e.code === 'ERR_XML_MALFORMED') return true;
  if (e.code === 'ERR_HTTP_STATUS') return (e.status ?? 0) >= 500 || e.status === 429;
  if (e.code === 'ERR_GATEWAY' || e.code === 'ERR_FILE_REQUEST') return /^(SYSTEM_ERROR|SYSTEM_EXCEPTION)$/.test(e.gatewayCode ?? '') || /System exception|Internet connected exception/i.test(e.message);
  return false;
}

export function _createHttp(config: HttpConfig): Http {
  const client: KyInstance = ky.create({ retry: 0, timeout: config.timeoutMs, throwHttpErrors: false, ...(config.fetch ? { fetch: config.fetch } : {}) });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    async send(req, consume) {
      let res: Response;
      try {
        res = await client(req.url, {
          method: req.method,
          ...(req.body === undefined ? {} : { body: req.body, headers: { 'content-type': req.contentType ?? 'application/x-www-form-urlencoded' } }),
        });
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
    async withRetry(label, safe, attempt) {
      const limit = safe ? config.retry.limit : 0;
      for (let n = 1; ; n++) {
        try {
          return await attempt(n);
        } catch (e) {
          if (n > limit || !_isRetryable(e)) throw e;
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
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
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

