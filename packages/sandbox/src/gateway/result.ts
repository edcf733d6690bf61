/**
 * What a service hands back to the HTTP layer, and how it is written (with fault injection
 * applied: GBK XML, truncated XML, a file body cut mid-stream). HTTP 200 for every gateway
 * answer (§1.6 decision).
 *
 * Every answer goes out as one `res.writeHead(status, headers)` and one `res.end(body)` (no
 * status/setHeader chain): the security headers first (the same names, values and order as the
 * `securityHeaders` middleware, which the requests of gateway/direct.ts never pass through),
 * then `Cache-Control`, `Content-Type` and `Content-Length`. When the middleware did run (a
 * request Express routed), `writeHead` sets the same values again, in place.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import { encodeText } from '@alipay-kit/core/encoding';
import { roll } from '../faults.js';
import { SECURITY_HEADERS } from '../http/security.js';
import { cutMidStream } from './cut-stream.js';
import type { FaultConfig } from '../types.js';

/** A gateway answer. */
export type GatewayResult =
  | { kind: 'xml'; body: string }
  | { kind: 'text'; body: string }
  | { kind: 'file'; body: string }
  | { kind: 'html'; body: string }
  | { kind: 'redirect'; location: string };

/** XML answer. */
export const xml = (body: string): GatewayResult => ({ kind: 'xml', body });
/** Plain-text answer. */
export const text = (body: string): GatewayResult => ({ kind: 'text', body });
/** Plain-text answer of a file service (§8.3, §10): the one the `cutFileStream` fault can cut. */
export const file = (body: string): GatewayResult => ({ kind: 'file', body });
/** HTML answer. */
export const html = (body: string): GatewayResult => ({ kind: 'html', body });

const TEXT_PLAIN = 'text/plain; charset=utf-8';

/** The headers of a 200 answer of media type `type`: security headers, `no-store`, the type. */
const answerHeaders = (type: string): readonly string[] =>
  Object.freeze([...SECURITY_HEADERS, 'Cache-Control', 'no-store', 'Content-Type', type]);

const XML_UTF8 = answerHeaders('text/xml; charset=utf-8');
const XML_GBK = answerHeaders('text/xml; charset=GBK');
const TEXT = answerHeaders(TEXT_PLAIN);
const HTML = answerHeaders('text/html; charset=utf-8');
/** The `http5xx` fault's headers: security headers and the type, no `Cache-Control`. */
const FAILURE = Object.freeze([...SECURITY_HEADERS, 'Content-Type', TEXT_PLAIN]);

/**
 * Send `body` with `status`, `headers` (a constant list) and its `Content-Length`: given
 * `writeHead` first, Node would not add the length itself (it would send the body chunked).
 * An answer to HEAD gets no length, as when Node decides (it drops the body, then the length).
 */
function send(res: ServerResponse, status: number, headers: readonly string[], body: string | Buffer): void {
  if (res.req.method === 'HEAD') res.writeHead(status, headers as string[]);
  else {
    const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    res.writeHead(status, [...headers, 'Content-Length', String(length)]);
  }
  res.end(body);
}

/** The `http5xx` fault: HTTP 500, plain text `Internal Server Error`. */
export function writeInternalError(res: ServerResponse): void {
  send(res, 500, FAILURE, 'Internal Server Error');
}

/** Write a result, applying the response-shaping faults. */
export function writeResult(res: ServerResponse, result: GatewayResult, faults: FaultConfig): void {
  switch (result.kind) {
    case 'xml': {
      if (!faults.gbkResponses && !faults.truncateXml) return send(res, 200, XML_UTF8, result.body);
      // §1.3: the real gateway sometimes declares GBK; the bytes then really are GBK.
      let bytes = faults.gbkResponses
        ? Buffer.from(
            encodeText(result.body.replace('encoding="utf-8"', 'encoding="GBK"'), 'gbk', { unencodable: 'replace' }),
          )
        : Buffer.from(result.body, 'utf8');
      if (roll(faults.truncateXml)) bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
      return send(res, 200, faults.gbkResponses ? XML_GBK : XML_UTF8, bytes);
    }
    case 'text':
      return send(res, 200, TEXT, result.body);
    case 'file':
      if (roll(faults.cutFileStream)) {
        for (let i = 0; i < TEXT.length; i += 2) res.setHeader(TEXT[i]!, TEXT[i + 1]!);
        return cutMidStream(res, Buffer.from(result.body, 'utf8'));
      }
      return send(res, 200, TEXT, result.body);
    case 'html':
      return send(res, 200, HTML, result.body);
    case 'redirect':
      return send(res, 302, [...SECURITY_HEADERS, 'Cache-Control', 'no-store', 'Location', result.location], '');
  }
}
