// Fuzzing with fast-check (issue 8): hostile notification bodies, gateway XML and file lines.
// The only acceptable outcomes are a value, a typed AlipayError with a code, or a `fail` body —
// never a crash, a hang, a 500 or an untyped exception. FUZZ_RUNS cases per target (env.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAlipayError,
  md5Sign,
  parseCompareFile,
  parseGatewayXml,
  parseLiquidationFile,
  parseRateFile,
} from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { createGatewayClient } from '@alipay-kit/server-kit';
import { FUZZ_HTTP_RUNS, FUZZ_RUNS, SEED } from './helpers/env.js';
import { SecretWatch } from './helpers/secrets.js';
import { KEY_A, PARTNER_A, startWorld, type World } from './helpers/world.js';

const watch = new SecretWatch();
watch.secret(KEY_A);
const params = (runs: number) => ({ numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true });

const XML_CODES = new Set(['ERR_XML_MALFORMED', 'ERR_RESPONSE_TOO_LARGE', 'ERR_RESPONSE_UNEXPECTED']);
function typedOrValue(fn: () => unknown, codes?: Set<string>): void {
  try {
    fn();
  } catch (e) {
    watch.error(e);
    if (!isAlipayError(e))
      throw new Error(`untyped error: ${(e as Error)?.name}: ${(e as Error)?.message}`.slice(0, 300));
    if (codes && !codes.has(e.code)) throw new Error(`unexpected code ${e.code}: ${e.message}`);
  }
}

// ---------------------------------------------------------------- XML
const TAGS = [
  'alipay',
  'is_success',
  'error',
  'request',
  'param',
  'response',
  'trade',
  'sign',
  'sign_type',
  'out_trade_no',
  'total_fee',
  'trade_status',
  'toString',
  '__proto__',
  'constructor',
  'a',
];
const xmlText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '&amp;',
    '&lt;',
    '&gt;',
    '&quot;',
    '&apos;',
    '&#65;',
    '&#x41;',
    '&#0;',
    '&#xD800;',
    '&lol;',
    '&',
    '<',
    ']]>',
    'T',
    'F',
    '10.00',
    'TRADE_FINISHED',
  ),
);
const xmlNode: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlText,
    fc
      .tuple(
        fc.constantFrom(...TAGS),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.option(fc.constantFrom(' name="out_trade_no"', ' name="&lt;x&gt;"', ' name=x', ' a="1" a="2"'), { nil: '' }),
      )
      .map(([t, kids, attr]) => `<${t}${attr}>${kids.join('')}</${t}>`),
    fc.constantFrom('<![CDATA[x]]>', '<!-- c -->', '<?pi x?>', '<br/>', '</alipay>', '<alipay>', '<sign>', ''),
  ),
})).node;
const validReply = (sign: string) =>
  `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><request><param name="service">single_trade_query</param></request><response><trade><out_trade_no>A1</out_trade_no><total_fee>10.00</total_fee><trade_status>TRADE_FINISHED</trade_status><trade_no>2026112522001300000000000001</trade_no><currency>USD</currency></trade></response><sign>${sign}</sign><sign_type>MD5</sign_type></alipay>`;
const HOSTILE_XML = [
  // billion laughs
  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><alipay><is_success>&lol2;</is_success></alipay>`,
  // external entity (XXE)
  `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><alipay><is_success>T</is_success><error>&xxe;</error></alipay>`,
  `<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://127.0.0.1:1/evil.dtd"><alipay><is_success>T</is_success></alipay>`,
  `<?xml version="1.0"?><!doctype a [<!entity % p SYSTEM "file:///etc/passwd"> %p;]><alipay/>`,
  `<alipay><is_success>&xxe;</is_success></alipay>`,
  `<alipay><is_success>T</is_success><response><trade><out_trade_no>&#x26;lt;</out_trade_no></trade></response></alipay>`,
  // huge and deep
  `<alipay><is_success>T</is_success><error>${'x'.repeat(2 * 1024 * 1024)}</error></alipay>`,
  `<alipay><is_success>T</is_success><response>${'<a>'.repeat(20_000)}x${'</a>'.repeat(20_000)}</response></alipay>`,
  `<alipay><is_success>T</is_success><response>${'<a>'.repeat(100_000)}</response></alipay>`,
  `<alipay>${'<is_success>T</is_success>'.repeat(50_000)}</alipay>`,
  `<alipay><is_success>T</is_success><request>${'<param name="p">v</param>'.repeat(30_000)}</request></alipay>`,
  '',
  '<',
  '<alipay',
  '<alipay/>',
  '<?xml version="1.0" encoding="EBCDIC"?><alipay/>',
  '\uFEFF<alipay><is_success>T</is_success></alipay>',
  '\u0000',
];

describe('core parseGatewayXml with hostile XML', () => {
  it('should return a reply or throw ERR_XML_MALFORMED / ERR_RESPONSE_* for billion laughs, XXE, huge and deep documents', () => {
    for (const x of HOSTILE_XML) {
      const t = performance.now();
      typedOrValue(() => {
        const r = parseGatewayXml(x);
        expect(JSON.stringify(r)).not.toMatch(/root:|lollollol/);
      }, XML_CODES);
      typedOrValue(() => parseGatewayXml(new TextEncoder().encode(x)), XML_CODES);
      expect(performance.now() - t, `slow on ${x.slice(0, 40)}`).toBeLessThan(5_000);
    }
  });

  it(`should return a reply or a typed error for ${FUZZ_RUNS} generated XML documents`, () => {
    fc.assert(
      fc.property(xmlNode, fc.boolean(), (node, decl) => {
        typedOrValue(() => parseGatewayXml((decl ? '<?xml version="1.0" encoding="utf-8"?>' : '') + node), XML_CODES);
      }),
      params(FUZZ_RUNS),
    );
  });

  it(`should return a reply or a typed error for ${FUZZ_RUNS} truncated or spliced valid replies`, () => {
    const base = validReply('a'.repeat(32));
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 8 }), (cut, at, ins) => {
        typedOrValue(() => parseGatewayXml(base.slice(0, cut)), XML_CODES);
        typedOrValue(() => parseGatewayXml(base.slice(0, at) + ins + base.slice(at)), XML_CODES);
      }),
      params(FUZZ_RUNS),
    );
  });

  it(`should return a reply or a typed error for ${FUZZ_RUNS} arbitrary strings and byte arrays`, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (s, b) => {
        typedOrValue(() => parseGatewayXml(s), XML_CODES);
        typedOrValue(() => parseGatewayXml(b), XML_CODES);
      }),
      params(FUZZ_RUNS),
    );
  });
});

// ---------------------------------------------------------------- client over a fake gateway
describe('gateway client against a fake gateway answering fuzzed XML', () => {
  let server: Server;
  let reply: { body: Uint8Array | string; type: string; status: number } = { body: '', type: 'text/xml', status: 200 };
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': reply.type });
        res.end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it(`should resolve or reject with a typed AlipayError for ${FUZZ_HTTP_RUNS} fuzzed replies to query, refund and notify_verify`, async () => {
    const client = createGatewayClient({
      gateway: url,
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
      retry: { limit: 0 },
      timeoutMs: 5000,
      logger: watch.logger('client '),
    });
    const body = fc.oneof(
      xmlNode.map((n) => `<?xml version="1.0" encoding="utf-8"?>${n}`),
      fc.constantFrom(...HOSTILE_XML.filter((x) => x.length < 1_500_000)),
      fc.tuple(fc.nat(600), fc.string({ maxLength: 32 })).map(([cut, s]) => validReply(s).slice(0, cut + 40)),
      fc.string({ maxLength: 32 }).map((s) => validReply(s)),
      fc.uint8Array({ maxLength: 400 }),
      fc.constant(`<alipay><is_success>T</is_success><error>${'y'.repeat(1_100_000)}</error></alipay>`),
    );
    const type = fc.constantFrom(
      'text/xml',
      'text/xml; charset=GBK',
      'text/html',
      'application/octet-stream',
      'text/plain; charset=utf-8',
      'text/xml; charset=x-unknown',
    );
    const status = fc.constantFrom(200, 200, 200, 200, 302, 404, 500, 503);
    await fc.assert(
      fc.asyncProperty(body, type, status, fc.constantFrom('query', 'refund', 'verify'), async (b, t, s, op) => {
        reply = { body: b, type: t, status: s };
        try {
          if (op === 'query') await client.query({ out_trade_no: 'A1' });
          else if (op === 'refund')
            await client.refund({ out_trade_no: 'A1', out_return_no: 'R1', currency: 'USD', return_amount: '1.00' });
          else await client.notifyVerify('n'.repeat(34));
        } catch (e) {
          watch.error(e);
          if (!isAlipayError(e))
            throw new Error(`untyped ${(e as Error)?.name}: ${(e as Error)?.message}`.slice(0, 300));
        }
      }),
      params(FUZZ_HTTP_RUNS),
    );
  });
});

// ---------------------------------------------------------------- files
const FILE_CODES = new Set([
  'ERR_FILE_LINE',
  'ERR_FILE_REQUEST',
  'ERR_XML_MALFORMED',
  'ERR_RESPONSE_UNEXPECTED',
  'ERR_RESPONSE_TOO_LARGE',
  'ERR_GATEWAY',
  'ERR_INVALID_AMOUNT',
  'ERR_INVALID_CURRENCY',
  'ERR_INVALID_DATE',
]);
const field = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    'USD',
    'JPY',
    'CNY',
    'usd',
    'P',
    'R',
    'L',
    '10.00',
    '-10.00',
    '0.001',
    '1e5',
    '99999999999999999999.99',
    '20261125120000',
    '2026-11-25 12:00:00',
    '20261125',
    '120000',
    '6.706400',
    'NaN',
    ' 1.00',
    '\u0000',
    '测试',
  ),
);
const line = fc.oneof(
  fc.array(field, { maxLength: 14 }).map((f) => f.join('|')),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    'Partner_transaction_id|Amount|Currency|Payment_time|Settlement_time|Type|Fee|Status|Remarks',
    'File download failed:Over 10 days to Date period',
    'No balance account data in the period',
    'System exception',
    '<?xml version="1.0"?><alipay><is_success>F</is_success><error>ILLEGAL_PARTNER</error></alipay>',
    'A1|10.00|USD|20261125120000||P|0.10|P|',
    '20261125|120000|USD|6.706400',
  ),
);
const chunks = (text: string, cuts: number[]): AsyncIterable<Uint8Array> => {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return (async function* () {
    let prev = 0;
    for (const p of [...points, bytes.length]) {
      if (p > prev) yield bytes.subarray(prev, p);
      prev = p;
    }
  })();
};

describe('core file parsers with hostile lines', () => {
  for (const [name, parse] of [
    ['parseCompareFile', parseCompareFile],
    ['parseLiquidationFile', parseLiquidationFile],
    ['parseRateFile', parseRateFile],
  ] as const) {
    it(`${name} should yield rows or throw a typed error for ${FUZZ_RUNS} generated bodies (throw and collect modes)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(line, { maxLength: 12 }),
          fc.constantFrom('\r\n', '\n', '\r'),
          fc.array(fc.nat(2000), { maxLength: 5 }),
          fc.constantFrom('throw', 'collect') as fc.Arbitrary<'throw' | 'collect'>,
          async (lines, eol, cuts, onError) => {
            try {
              const recs = parse(chunks(lines.join(eol), cuts), { onError, maxLineBytes: 512 });
              for await (const r of recs) {
                if (typeof r.line !== 'number') throw new Error('row without a line number');
              }
              for (const e of recs.errors)
                if (!isAlipayError(e) || e.code !== 'ERR_FILE_LINE')
                  throw new Error(`collected an untyped error ${String(e)}`);
            } catch (e) {
              watch.error(e);
              if (!isAlipayError(e))
                throw new Error(`untyped ${(e as Error)?.name}: ${(e as Error)?.message}`.slice(0, 300));
              if (!FILE_CODES.has(e.code)) throw new Error(`unexpected code ${e.code}`);
            }
          },
        ),
        params(FUZZ_RUNS),
      );
    });
  }
});

// ---------------------------------------------------------------- POST /notify
describe('POST /notify with fuzzed bodies', () => {
  let w: World;
  const orders: string[] = [];
  beforeAll(async () => {
    w = await startWorld({ watch, notifyVerify: false });
    for (let i = 0; i < 5; i++) orders.push((await w.checkout()).outTradeNo);
  });
  afterAll(() => w?.close());

  const KEYS = [
    'notify_id',
    'notify_type',
    'notify_time',
    'out_trade_no',
    'trade_no',
    'total_fee',
    'currency',
    'trade_status',
    'out_return_no',
    'refund_status',
    'return_amount',
    'rmb_fee',
    'seller_id',
    'sign',
    'sign_type',
    'SIGN',
    '__proto__',
    'constructor',
    'toString',
    '',
  ];
  // Well-formed strings only: core refuses to sign or encode a lone surrogate (ERR_CHARSET_UNENCODABLE).
  const VALUES = fc.oneof(
    fc.string({ maxLength: 40, unit: 'binary' }).filter((v) => v.isWellFormed()),
    fc.constantFrom(
      'TRADE_FINISHED',
      'TRADE_SUCCESS',
      'TRADE_CLOSED',
      'WAIT_BUYER_PAY',
      'trade_status_sync',
      'refund_status_sync',
      'REFUND_SUCCESS',
      '10.00',
      '0.00',
      '-10.00',
      '1e3',
      '10.001',
      'USD',
      'JPY',
      'CNY',
      'MD5',
      'RSA',
      'RSA2',
      '%',
      '%zz',
      '+',
      '&',
      '=',
      '\u0000',
      '测试',
      '2026-11-25 12:00:00',
    ),
  );

  it(`should answer 200 success/fail and never move an order for ${FUZZ_HTTP_RUNS} raw, form-shaped and correctly signed random bodies`, async () => {
    const raw = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const formShaped = fc
      .dictionary(fc.constantFrom(...KEYS), VALUES, { maxKeys: 12 })
      .map((d) => encodeForm(d as Record<string, string>));
    // Correctly signed with Key A: reaches parseNotification and the ledger cross-checks.
    const signed = fc
      .record(
        {
          notify_id: fc.string({ minLength: 1, maxLength: 40 }),
          notify_type: fc.constantFrom('trade_status_sync', 'refund_status_sync', 'x'),
          notify_time: VALUES,
          out_trade_no: fc.oneof(fc.constantFrom(...orders), fc.string({ minLength: 1, maxLength: 70 })),
          trade_no: VALUES,
          total_fee: VALUES,
          currency: VALUES,
          trade_status: VALUES,
        },
        { requiredKeys: ['notify_type', 'out_trade_no'] },
      )
      .map((p) => {
        const clean = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >;
        const sign = md5Sign(clean, KEY_A);
        watch.secret(sign); // a genuine Key A signature: must never be logged
        return encodeForm({ ...clean, sign, sign_type: 'MD5' });
      });
    const huge = fc.constant('notify_id=' + 'x'.repeat(70_000));
    await fc.assert(
      fc.asyncProperty(fc.oneof(raw, formShaped, signed, huge), async (body) => {
        const res = await fetch(`${w.merchantUrl}/alipay/notify`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        const text = await res.text();
        if (res.status !== 200 || (text !== 'success' && text !== 'fail'))
          throw new Error(`answered ${res.status} ${text.slice(0, 100)}`);
        if (text === 'success') {
          // Only a correctly signed, consistent notification for a real order may succeed.
          const p = new URLSearchParams(body);
          if (
            !orders.includes(p.get('out_trade_no') ?? '') ||
            p.get('total_fee') !== '10.00' ||
            p.get('currency') !== 'USD'
          )
            throw new Error(`success for ${body.slice(0, 200)}`);
        }
      }),
      params(FUZZ_HTTP_RUNS),
    );
    for (const id of orders) {
      const o = (await w.ledger.getOrder(id))!;
      expect(['created', 'paid', 'closed']).toContain(o.status);
      if (o.status === 'paid') expect(o.trade_no).not.toBeNull();
    }
  });
});

describe('secrets across the fuzz suite', () => {
  it('should keep the MD5 key and every sign value out of every log line and error message', () => {
    expect(watch.lines.length).toBeGreaterThan(100);
    expect(watch.leaks()).toEqual([]);
  });
});
