// _requestTarget (lib/http.ts): node:http's options for a gateway URL, reusing the parse of the
// part before `?` when only a plain query changed. Every answer must equal Node's own
// urlToHttpOptions(new URL(href)) in what node:http reads (protocol, hostname, port, auth, path).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { urlToHttpOptions } from 'node:url';
import { _requestTarget } from '../src/lib/http.js';

const read = (o: Record<string, unknown> | undefined) =>
  o && { protocol: o.protocol, hostname: o.hostname, port: o.port, auth: o.auth, path: o.path };
const node = (href: string) => {
  try {
    return read(urlToHttpOptions(new URL(href)) as Record<string, unknown>);
  } catch {
    return undefined;
  }
};

const BASES = [
  'http://127.0.0.1:8080/gateway.do',
  'https://mapi.alipaydev.com/gateway.do',
  'https://user:p%40ss@[::1]:8443/a b/gateway.do',
  'http://example.com',
  'https://example.com/gateway.do?_input_charset=utf-8',
];

describe('_requestTarget', () => {
  it('should answer as new URL does for a query that changed after the first call', () => {
    const target = _requestTarget();
    for (const base of BASES) {
      const sep = base.includes('?') ? '&' : '?';
      for (const query of [
        'service=notify_verify&partner=2088101122136241&notify_id=abc',
        'a=%E6%B5%8B',
        '',
        'x=1*2',
      ]) {
        const href = query === '' ? base : base + sep + query;
        expect(read(target(href) as Record<string, unknown>), href).toEqual(node(href));
      }
    }
  });

  it('should parse in full a query new URL would rewrite, and a URL with a fragment', () => {
    const target = _requestTarget();
    const base = 'http://127.0.0.1:8080/gateway.do';
    target(base + '?a=1');
    for (const href of [
      base + '?a=b c',
      base + "?a='x'",
      base + '?a=<b>',
      base + '?a=测',
      base + '?a=1#frag',
      base + '?',
    ])
      expect(read(target(href) as Record<string, unknown>), href).toEqual(node(href));
  });

  it('should answer undefined for what is not a URL', () => {
    const target = _requestTarget();
    expect(target('not a url')).toBeUndefined();
    expect(target('http://')).toBeUndefined();
  });

  it('should match new URL for random queries after a primed base (fast-check)', () => {
    const target = _requestTarget();
    const base = 'https://mapi.alipaydev.com/gateway.do';
    target(base + '?prime=1');
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 30 }), (q) => {
        const href = base + '?' + q;
        expect(read(target(href) as Record<string, unknown>)).toEqual(node(href));
      }),
      { numRuns: 500 },
    );
  });
});
