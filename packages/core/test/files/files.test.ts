import { describe, it, assert } from 'vitest';
import {
  AlipayFileError,
  AlipayGatewayError,
  classifyFileBody,
  parseCompareFile,
  parseLiquidationFile,
  parseRateFile,
} from '../../src/index.js';
import { encodeText } from '../../src/encoding.js';
import {
  COMPARE_LINES_8_4,
  FILE_ERROR_OVER_10_DAYS,
  RATE_LINES_10,
  SETTLEMENT_9_3,
  XML_ILLEGAL_PARTNER,
} from '../fixtures/samples.js';
import { chunked, collect, streamOf } from '../helpers.js';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('parseCompareFile / parseLiquidationFile (§8.4, §9)', () => {
  it('reads the §8.4 legacy lines with CRLF, split across tiny chunks', async () => {
    const body = encodeText(COMPARE_LINES_8_4.join('\r\n') + '\r\n', 'utf-8');
    const rows = await collect(parseCompareFile(chunked(body, 7)));
    assert.strictEqual(rows.length, 4);
    const r = rows[0]!;
    assert.strictEqual(r.line, 1);
    assert.strictEqual(r.partner_transaction_id, '20131219-144657-234');
    assert.strictEqual(r.amount, '0.11');
    assert.strictEqual(r.currency, 'EUR');
    assert.strictEqual(r.payment_time, '20131219215228');
    assert.strictEqual(r.settlement_time, '');
    assert.strictEqual(r.type, 'P');
    assert.strictEqual(r.fee, '0.00');
    assert.strictEqual(r.status, 'P');
    assert.strictEqual(r.remarks, 'Test');
    assert.deepEqual(r.minor, { amount: 11, fee: 0 });
    assert.strictEqual(rows[1]!.minor.amount, 212525);
    assert.strictEqual(rows[3]!.remarks, 'MICROS-Fidelio Information Systems Co. Limited (Testing)');
  });

  it('reads LF, ignores empty lines, keeps unknown trailing columns', async () => {
    const rows = await collect(
      parseLiquidationFile(streamOf(`\n${COMPARE_LINES_8_4[1]}|extra1|extra2\n\n\r\n${COMPARE_LINES_8_4[2]}`)),
    );
    assert.strictEqual(rows.length, 2);
    assert.strictEqual(rows[0]!.line, 2);
    assert.deepEqual(rows[0]!.extra, ['extra1', 'extra2']);
    assert.strictEqual(rows[1]!.line, 5);
  });

  it('maps the §9.3 header layout by name', async () => {
    const rows = await collect(parseLiquidationFile(streamOf(SETTLEMENT_9_3.join('\r\n') + '\r\n')));
    assert.strictEqual(rows.length, 1);
    const r = rows[0]!;
    assert.strictEqual(r.line, 2);
    assert.strictEqual(r.partner_transaction_id, 'EASA-20170801233604653-5GP0GVWNY');
    assert.strictEqual(r.transaction_id, '2017080221001004060213245489');
    assert.strictEqual(r.currency, 'AUD');
    assert.strictEqual(r.rate, '5.41940000');
    assert.strictEqual(r.status, 'L');
    assert.strictEqual(r.payment_time, '2017-08-02 07:36:46');
    assert.deepEqual(r.minor, {
      amount: 36930,
      fee: 222,
      settlement: 36708,
      rmb_amount: 200138,
      rmb_settlement: 198937,
    });
    assert.strictEqual(r.columns!.Order_scene, 'shopQrCode');
    assert.strictEqual(r.columns!.Trans_forex_rate, '1');
    // §9.3 arithmetic: Settlement = Amount − Fee
    assert.strictEqual(r.minor.amount - r.minor.fee!, r.minor.settlement);
  });

  it('decodes GBK remarks per line', async () => {
    const line = '1|1.00|USD|20210826120000||P|0.01|P|测试商品\r\n';
    const rows = await collect(parseCompareFile(chunked(encodeText(line + line, 'gbk'), 3), { charset: 'gbk' }));
    assert.strictEqual(rows[1]!.remarks, '测试商品');
  });

  it('reports malformed lines with their number: throw by default, or collect', async () => {
    const body = [
      COMPARE_LINES_8_4[0],
      'garbage|1',
      COMPARE_LINES_8_4[1]!.replace('2125.25', '2125.255'),
      COMPARE_LINES_8_4[2]!.replace('|P|21.25|', '|X|21.25|'),
      COMPARE_LINES_8_4[3],
    ].join('\n');
    const err = await rejection(collect(parseCompareFile(streamOf(body))));
    assert.instanceOf(err, AlipayFileError);
    assert.strictEqual((err as AlipayFileError).code, 'ERR_FILE_LINE');
    assert.strictEqual((err as AlipayFileError).line, 2);

    const records = parseCompareFile(streamOf(body), { onError: 'collect' });
    const rows = await collect(records);
    assert.deepEqual(
      rows.map((r) => r.line),
      [1, 5],
    );
    assert.deepEqual(
      records.errors.map((e) => e.line),
      [2, 3, 4],
    );
    assert.strictEqual(records.errorCount, 3);
    assert.strictEqual(records.rowCount, 2);

    const seen: number[] = [];
    await collect(parseCompareFile(streamOf(body), { onError: (e) => seen.push(e.line!) }));
    assert.deepEqual(seen, [2, 3, 4]);
  });

  it('reports invalid GBK/UTF-8 bytes and over-long lines as ERR_FILE_LINE', async () => {
    const bad = new Uint8Array([...encodeText('1|1.00|USD|20210826120000||P|0.01|P|', 'utf-8'), 0xff, 0x0a]);
    const records = parseCompareFile(streamOf(bad), { onError: 'collect' });
    await collect(records);
    assert.strictEqual(records.errors[0]!.line, 1);
    const err = await rejection(collect(parseCompareFile(streamOf('1|' + 'x'.repeat(200)), { maxLineBytes: 100 })));
    assert.strictEqual((err as AlipayFileError).code, 'ERR_FILE_LINE');
  });

  it('turns §8.3 sentences into ERR_FILE_REQUEST and "no data" into an empty result', async () => {
    const err = await rejection(collect(parseCompareFile(streamOf(FILE_ERROR_OVER_10_DAYS))));
    assert.instanceOf(err, AlipayFileError);
    assert.strictEqual((err as AlipayFileError).code, 'ERR_FILE_REQUEST');
    assert.include(err.message, 'Over 10 days to Date period');
    for (const s of [
      'System exception',
      'Internet connected exception ,please try later',
      'Over limit balance amount record',
    ]) {
      const e = await rejection(collect(parseLiquidationFile(streamOf(s + '\r\n'))));
      assert.strictEqual((e as AlipayFileError).code, 'ERR_FILE_REQUEST');
    }
    for (const s of [
      'No balance account data in the period',
      'File download failed:No balance account data in the period',
      'No balance amount data in the period',
    ]) {
      const records = parseCompareFile(streamOf(s));
      assert.deepEqual(await collect(records), []);
      assert.isTrue(records.noData);
    }
  });

  it('turns an XML body into the gateway error (ILLEGAL_PARTNER)', async () => {
    const err = await rejection(collect(parseCompareFile(streamOf(encodeText(XML_ILLEGAL_PARTNER, 'gbk')))));
    assert.instanceOf(err, AlipayGatewayError);
    assert.strictEqual((err as AlipayGatewayError).gatewayCode, 'ILLEGAL_PARTNER');
  });

  it('classifies bodies', () => {
    assert.deepEqual(classifyFileBody('<?xml version="1.0"?>'), { kind: 'xml' });
    assert.deepEqual(classifyFileBody('<alipay><is_success>F</is_success>'), { kind: 'xml' });
    assert.deepEqual(classifyFileBody(COMPARE_LINES_8_4[0]!), { kind: 'records' });
    assert.deepEqual(classifyFileBody('File download failed:Illegal Date period!'), {
      kind: 'error',
      sentence: 'Illegal Date period!',
    });
    assert.strictEqual(classifyFileBody('File empty').kind, 'error');
  });

  it('cancels the source when the consumer stops early (constant memory, no leak)', async () => {
    let cancelled = false;
    let pulls = 0;
    const line = encodeText(COMPARE_LINES_8_4[0] + '\n', 'utf-8');
    const infinite = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        c.enqueue(line);
      },
      cancel() {
        cancelled = true;
      },
    });
    let n = 0;
    for await (const _ of parseCompareFile(infinite)) if (++n === 1000) break;
    assert.isTrue(cancelled);
    assert.isBelow(pulls, 1100);
  });

  it('can be iterated only once', async () => {
    const records = parseCompareFile(streamOf(''));
    await collect(records);
    assert.throws(() => records[Symbol.asyncIterator](), TypeError);
  });
});

describe('parseRateFile (§10)', () => {
  it('reads the §10 lines and tolerates a 5th column', async () => {
    const rows = await collect(
      parseRateFile(streamOf(RATE_LINES_10.join('\r\n') + '\r\n20210826|101500|EUR|7.412300|X\r\n')),
    );
    assert.strictEqual(rows.length, 4);
    assert.deepEqual(rows[0], {
      line: 1,
      date: '20210826',
      time: '101500',
      currency: 'USD',
      rate: '6.706400',
      extra: [],
    });
    assert.strictEqual(rows[1]!.rate, '0.059123');
    assert.deepEqual(rows[3]!.extra, ['X']);
  });
  it('reports malformed lines and error sentences', async () => {
    const records = parseRateFile(
      streamOf(
        '20210832|101500|USD|6.7\n20210826|251500|USD|6.7\n20210826|101500|usd|6.7\n20210826|101500|USD|-6.7\n20210826|101500|USD\n',
      ),
      { onError: 'collect' },
    );
    assert.deepEqual(await collect(records), []);
    assert.deepEqual(
      records.errors.map((e) => e.line),
      [1, 2, 3, 4, 5],
    );
    const err = await rejection(collect(parseRateFile(streamOf('System exception'))));
    assert.strictEqual((err as AlipayFileError).code, 'ERR_FILE_REQUEST');
  });
});
