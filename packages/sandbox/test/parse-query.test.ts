/**
 * gateway/parse.ts reads an ASCII query as a string (plain components taken as they are): it
 * must give exactly what the byte-level reading of the same latin1 bytes gives (§1.2b), for any
 * query, charset and mix of `%XX`, `+`, `=`, `&` and non-ASCII characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFormBytes, parseGatewayRequest } from '../src/gateway/parse.js';

/** What parseGatewayRequest made of a query before: every pair decoded from the latin1 bytes. */
function byBytes(rawQuery: string, charset: 'utf-8' | 'gbk') {
  const params = Object.create(null) as Record<string, string>;
  const echo: Array<[string, string]> = [];
  let conflict = false;
  for (const [k, v] of decodeFormBytes(Buffer.from(rawQuery, 'latin1'), charset)) {
    if (Object.prototype.hasOwnProperty.call(params, k)) {
      if (params[k] !== v) conflict = true;
      continue;
    }
    params[k] = v;
    if (!/^(sign|sign_type)$/i.test(k)) echo.push([k, v]);
  }
  return { params: { ...params }, echo, conflict };
}

const piece = fc.oneof(
  fc.constantFrom('&', '=', '+', '%', '%2', '%41', '%e8%8c%b6', '%B2%E8', '%zz', 'sign', 'a', 'notify_id', ' '),
  fc.string({ unit: 'binary-ascii', maxLength: 4 }),
  fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 2 }),
);

describe('parseGatewayRequest on a query', () => {
  it('should equal the byte-level reading of the same bytes, in UTF-8 and GBK', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), fc.constantFrom('', 'utf-8', 'gbk'), (parts, cs) => {
        const rawQuery = (cs ? `_input_charset=${cs}&` : '') + parts.join('');
        const parsed = parseGatewayRequest(rawQuery, undefined, undefined);
        const expected = byBytes(rawQuery, parsed.charset);
        expect({ params: { ...parsed.params }, echo: parsed.echo, conflict: parsed.conflict }).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('should take plain ASCII components as they are', () => {
    const p = parseGatewayRequest(
      'service=notify_verify&partner=2088101122136241&notify_id=ab-c.d_e~f&x',
      undefined,
      undefined,
    );
    expect({ ...p.params }).toEqual({
      service: 'notify_verify',
      partner: '2088101122136241',
      notify_id: 'ab-c.d_e~f',
      x: '',
    });
    expect(p.conflict).toBe(false);
  });
});
