// Hostile inputs (arrays, objects, numbers, huge strings, lone surrogates, NUL bytes, __proto__
// keys, null-prototype objects) thrown at every builder and parser: each must answer with a
// typed error (AlipayError, TypeError, RangeError) or false, never crash with anything else.
import { describe, it, assert } from 'vitest';
import * as core from '../src/index.js';
import * as encoding from '../src/encoding.js';
import { TEST_PUBLIC_KEY_PEM } from './fixtures/keys.js';
import { collect, hostileValues, streamOf } from './helpers.js';

function typed(e: unknown): boolean {
  return e instanceof core.AlipayError || e instanceof TypeError || e instanceof RangeError;
}

function syncTargets(): Array<[string, (x: unknown) => unknown]> {
  const c = core as unknown as Record<string, (...a: unknown[]) => unknown>;
  return [
    ['buildPreSignString', (x) => core.buildPreSignString(x as never)],
    ['buildPreSignString (as value)', (x) => core.buildPreSignString({ a: x } as never)],
    ['md5Sign', (x) => core.md5Sign(x as never, 'k')],
    ['md5Sign (as value)', (x) => core.md5Sign({ a: x } as never, 'k', { charset: 'gbk' })],
    ['md5Sign (as key)', (x) => core.md5Sign({ a: '1' }, x as never)],
    ['md5VerifyString', (x) => core.md5VerifyString('a=1', x, 'k')],
    ['encodeText', (x) => encoding.encodeText(x as never, 'gbk')],
    ['percentEncode', (x) => encoding.percentEncode(x as never)],
    ['percentDecode', (x) => encoding.percentDecode(x as never)],
    ['parseForm', (x) => encoding.parseForm(x as never)],
    ['encodeForm', (x) => encoding.encodeForm(x as never)],
    ['inspectKey', (x) => core.inspectKey(x as never)],
    ['toMinorUnits', (x) => core.toMinorUnits(x as never, 'USD')],
    ['formatRequestAmount', (x) => core.formatRequestAmount(x as never, 'USD')],
    ['parseGatewayXml', (x) => core.parseGatewayXml(x as never)],
    ['parseNotification', (x) => core.parseNotification(x as never)],
    [
      'parseNotification (as value)',
      (x) => core.parseNotification({ notify_type: 'trade_status_sync', total_fee: x } as never),
    ],
    ['parseReturn', (x) => core.parseReturn(x as never)],
    ['parseCallback', (x) => core.parseCallback(x as never)],
    ['repairReturnSign', (x) => core.repairReturnSign(x as never)],
    ['classifyFileBody', (x) => core.classifyFileBody(x as never)],
    ['checkFileDateRange', (x) => core.checkFileDateRange(x, x)],
    ['getServiceInfo', (x) => encoding.getServiceInfo(x)],
    ['readNotifyVerifyResponse', (x) => core.readNotifyVerifyResponse(x)],
    ['formatBeijingDateTime', (x) => core.formatBeijingDateTime(x as never)],
    ['parseBeijingDateTime', (x) => core.parseBeijingDateTime(x)],
    ['normalizeSecmerchantStatus', (x) => core.normalizeSecmerchantStatus(x)],
    ['gatewayErrorFrom', (x) => core.gatewayErrorFrom({ is_success: 'F', error: x, request: {} } as never)],
    [
      'readSecmerchantResult',
      (x) => core.readSecmerchantResult({ is_success: 'T', request: {}, response: { name: 's', fields: x } } as never),
    ],
    ...[
      'validateCreateForexTrade',
      'validateCreateForexTradeWap',
      'validateForexRefund',
      'validateSingleTradeQuery',
      'validateNotifyVerify',
      'validateForexCompareFile',
      'validateForexLiquidationFile',
      'validateForexRateFile',
      'validateSecmerchantOnlineMaintain',
      'validateSecmerchantQueryStatus',
    ].flatMap((name): Array<[string, (x: unknown) => unknown]> => [
      [name, (x) => c[name]!(x)],
      [
        `${name} (as value)`,
        (x) =>
          c[name]!({
            partner: '2088101122136241',
            subject: x,
            out_trade_no: x,
            currency: 'USD',
            total_fee: x,
            notify_id: x,
            start_date: x,
            end_date: x,
            timestamp: x,
          }),
      ],
    ]),
  ];
}

describe('hostile inputs', () => {
  for (const [name, fn] of syncTargets()) {
    it(`${name} answers every hostile input with a typed error or a value`, () => {
      for (const h of hostileValues()) {
        try {
          fn(h);
        } catch (e) {
          assert.isTrue(typed(e), `${name} threw ${String(e)}`);
        }
      }
      assert.isUndefined(({} as Record<string, unknown>).polluted, 'prototype polluted');
    });
  }

  it('verifyParams and verifyGatewayXml resolve false (or a typed rejection) for every hostile input', async () => {
    for (const h of hostileValues()) {
      for (const keys of [{ md5Key: 'k' }, { alipayPublicKey: TEST_PUBLIC_KEY_PEM }, h]) {
        for (const signType of ['MD5', 'RSA', 'RSA2', undefined] as const) {
          try {
            assert.isFalse(await core.verifyParams(h as never, keys as never, { signType }));
            assert.isFalse(
              await core.verifyParams({ a: '1', sign: h, sign_type: 'RSA' } as never, keys as never, { signType }),
            );
          } catch (e) {
            assert.isTrue(typed(e), String(e));
          }
        }
      }
      try {
        const r = await core.verifyGatewayXml(
          { is_success: 'T', request: {}, response: { name: 't', fields: { a: '1' } }, sign: h } as never,
          { md5Key: 'k' },
          { signType: 'MD5' },
        );
        assert.isFalse(r);
      } catch (e) {
        assert.isTrue(typed(e), String(e));
      }
    }
  });

  it('verifyNotification and explainVerification never crash', async () => {
    for (const h of hostileValues()) {
      try {
        await core.verifyNotification(h as never, { md5Key: 'k' }, { signType: 'MD5' });
        assert.fail('must not verify');
      } catch (e) {
        assert.isTrue(typed(e), String(e));
      }
      const r = await core.explainVerification(h as never, { md5Key: 'k' });
      assert.isFalse(r.ok);
    }
  });

  it('file parsers reject non-streams and streams of non-bytes with typed errors', async () => {
    for (const h of [null, 42, 'text', {}, [1, 2]]) {
      try {
        await collect(core.parseCompareFile(h as never));
        assert.fail('must throw');
      } catch (e) {
        assert.isTrue(typed(e), String(e));
      }
    }
    try {
      await collect(core.parseRateFile(new ReadableStream({ start: (c) => (c.enqueue('text' as never), c.close()) })));
      assert.fail('must throw');
    } catch (e) {
      assert.isTrue(typed(e), String(e));
    }
  });

  it('file parsers survive NUL bytes, lone surrogates and garbage lines', async () => {
    const records = core.parseCompareFile(
      streamOf('1|1.00|USD|20210826120000||P|0.00|P|a\u0000b\n', '\ud800|x\n', '||||||||\n', '\u0000\n'),
      { onError: 'collect' },
    );
    const rows = await collect(records);
    assert.strictEqual(rows.length, 1);
    assert.strictEqual(rows[0]!.remarks, 'a\u0000b');
    assert.deepEqual(
      records.errors.map((e) => e.line),
      [2, 3, 4],
    );
  });
});
