/**
 * What a service hands back to the HTTP layer, and how it is written (with fault injection
 * applied: GBK XML, truncated XML, a file body cut mid-stream). HTTP 200 for every gateway
 * answer (§1.6 decision).
 *
 * @module
 */
import type { Response } from 'express';
import { encodeText } from '@alipay-kit/core/encoding';
import { roll } from '../faults.js';
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

/** Write a result, applying the response-shaping faults. */
export function writeResult(res: Response, result: GatewayResult, faults: FaultConfig): void {
  res.status(200);
  res.setHeader('Cache-Control', 'no-store');
  switch (result.kind) {
    case 'xml': {
      let bytes: Buffer;
      if (faults.gbkResponses) {
        // §1.3: the real gateway sometimes declares GBK; the bytes then really are GBK.
        const body = result.body.replace('encoding="utf-8"', 'encoding="GBK"');
        bytes = Buffer.from(encodeText(body, 'gbk', { unencodable: 'replace' }));
        res.setHeader('Content-Type', 'text/xml; charset=GBK');
      } else {
        bytes = Buffer.from(result.body, 'utf8');
        res.setHeader('Content-Type', 'text/xml; charset=utf-8');
      }
      if (roll(faults.truncateXml)) bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
      res.end(bytes);
      return;
    }
    case 'text':
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(result.body);
      return;
    case 'file':
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      if (roll(faults.cutFileStream)) return cutMidStream(res, Buffer.from(result.body, 'utf8'));
      res.end(result.body);
      return;
    case 'html':
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(result.body);
      return;
    case 'redirect':
      res.status(302).setHeader('Location', result.location);
      res.end();
      return;
  }
}
