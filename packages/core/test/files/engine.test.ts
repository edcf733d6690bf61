// The block engine of the file parsers (lib/records.ts): batches, block decoding with a per-line
// fallback, chunk boundaries, the ASCII fast path against the general path, and the char-code
// scanners against the regexes they replaced.
import { describe, it, assert } from 'vitest';
import {
  AlipayFileError,
  parseCompareFile,
  parseLiquidationFile,
  parseRateFile,
  toMinorUnits,
  type CompareFileRow,
} from '../../src/index.js';
import { encodeText } from '../../src/encoding.js';
import {
  isDateTimeAt,
  isDateTimeBytes,
  isDashedDateTime,
  isCompactDateTime,
  parseYmd,
  isCompactTime,
} from '../../src/lib/dates.js';
import { scanHundredths } from '../../src/files/amount.js';
import { COMPARE_LINES_8_4 } from '../fixtures/samples.js';
import { chunked, collect, streamOf } from '../helpers.js';

async function rejection(p: Promise<unknown>): Promise<AlipayFileError> {
  try {
    await p;
  } catch (e) {
    return e as AlipayFileError;
  }
  throw new Error('expected a rejection');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `n` valid legacy lines (some with a GBK/UTF-8 remark when `wide`). */
function lines(n: number, wide = false): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      `ORD-${i}|${(i % 97) + 1}.${String(i % 100).padStart(2, '0')}|${i % 7 ? 'USD' : 'EUR'}|20261124${String(i % 24).padStart(2, '0')}0000||${i % 10 === 9 ? 'R' : 'P'}|${i % 5 ? '0.10' : ''}|${i % 3 ? 'P' : ''}|${wide && i % 4 === 0 ? '测试' : 'Order'} ${i}`,
    );
  return out;
}

describe('FileRecords.batches()', () => {
  it('yields the same rows as the row iterator, in non-empty arrays, and counts them', async () => {
    const body = lines(5000).join('\r\n') + '\r\n';
    const rows = await collect(parseCompareFile(chunked(encodeText(body, 'utf-8'), 10_000)));
    const records = parseCompareFile(chunked(encodeText(body, 'utf-8'), 10_000));
    const batches = await collect(records.batches());
    assert.isAbove(batches.length, 1);
    for (const b of batches) assert.isAbove(b.length, 0);
    assert.deepEqual(batches.flat(), rows);
    assert.strictEqual(records.rowCount, 5000);
    assert.deepEqual(
      rows.map((r) => r.line),
      Array.from({ length: 5000 }, (_, i) => i + 1),
    );
  });

  it('is single-use and exclusive with the row iterator', async () => {
    const records = parseCompareFile(streamOf(''));
    records.batches();
    assert.throws(() => records[Symbol.asyncIterator](), TypeError);
    assert.throws(() => records.batches(), TypeError);
  });

  it('delivers the rows before a bad line, then throws ERR_FILE_LINE with its number', async () => {
    const good = lines(300);
    const body = [...good.slice(0, 200), 'garbage', ...good.slice(200)].join('\n');
    const seen: number[] = [];
    const err = await rejection(
      (async () => {
        for await (const b of parseCompareFile(streamOf(body)).batches()) for (const r of b) seen.push(r.line);
      })(),
    );
    assert.strictEqual(err.code, 'ERR_FILE_LINE');
    assert.strictEqual(err.line, 201);
    assert.deepEqual(
      seen,
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });

  it('cancels the stream when the consumer stops early', async () => {
    let cancelled = false;
    const line = encodeText(lines(1)[0] + '\n', 'utf-8');
    const infinite = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(line),
      cancel: () => void (cancelled = true),
    });
    for await (const b of parseCompareFile(infinite).batches()) if (b.length) break;
    assert.isTrue(cancelled);
  });
});

describe('block decoding', () => {
  it('falls back to per-line decoding for a block with a bad byte in the middle, naming the line', async () => {
    const good = lines(100);
    const bad = concat(
      encodeText(good.slice(0, 50).join('\n') + '\n', 'utf-8'),
      encodeText('X-1|1.00|USD|20210826120000||P|0.01|P|', 'utf-8'),
      new Uint8Array([0xff, 0x0a]),
      encodeText(good.slice(50).join('\n'), 'utf-8'),
    );
    const records = parseCompareFile(streamOf(bad), { onError: 'collect' });
    const rows = await collect(records);
    assert.strictEqual(rows.length, 100);
    assert.deepEqual(
      records.errors.map((e) => e.line),
      [51],
    );
    assert.match(records.errors[0]!.message, /not valid UTF-8/);
    assert.strictEqual(rows[50]!.line, 52);
    const err = await rejection(collect(parseCompareFile(streamOf(bad))));
    assert.strictEqual(err.line, 51);
  });

  it('reads GBK with characters split across chunk boundaries, at every split size', async () => {
    const body = encodeText(lines(40, true).join('\r\n') + '\r\n', 'gbk');
    const want = await collect(parseCompareFile(streamOf(body), { charset: 'gbk' }));
    assert.strictEqual(want[0]!.remarks, '测试 0');
    for (const size of [1, 2, 3, 5, 7, 64, 333]) {
      const rows = await collect(parseCompareFile(chunked(body, size), { charset: 'gbk' }));
      assert.deepEqual(rows, want, `chunks of ${size}`);
    }
  });

  it('reads UTF-8 and CRLF split across chunks (CR and LF in different chunks)', async () => {
    const text = lines(40, true).join('\r\n') + '\r\n';
    const body = encodeText(text, 'utf-8');
    const want = await collect(parseCompareFile(streamOf(body)));
    assert.strictEqual(want.length, 40);
    for (const r of want) assert.notInclude(r.remarks, '\r');
    // a split right between every CR and its LF
    const parts: Uint8Array[] = [];
    let from = 0;
    for (let i = 0; i < body.length; i++) if (body[i] === 0x0d) (parts.push(body.slice(from, i + 1)), (from = i + 1));
    parts.push(body.slice(from));
    assert.deepEqual(await collect(parseCompareFile(streamOf(...parts))), want);
    for (const size of [1, 4, 13, 100])
      assert.deepEqual(await collect(parseCompareFile(chunked(body, size))), want, `chunks of ${size}`);
  });

  it('strips a UTF-8 BOM at the start of any line, as a per-line decode did', async () => {
    const [a, b] = lines(2);
    const rows = await collect(parseCompareFile(streamOf(`\ufeff${a}\n\ufeff${b}\n`)));
    assert.deepEqual(
      rows.map((r) => r.partner_transaction_id),
      ['ORD-0', 'ORD-1'],
    );
  });

  it('throws ERR_FILE_LINE for a line longer than maxLineBytes, in a block, across chunks, or at the end', async () => {
    const [a, b] = lines(2);
    const long = `L-1|1.00|USD|20210826120000||P|0.01|P|${'x'.repeat(300)}`;
    for (const body of [`${a}\n${long}\n${b}\n`, `${a}\n${long}`]) {
      for (const size of [body.length, 50, 7]) {
        const err = await rejection(
          collect(
            parseCompareFile(chunked(encodeText(body, 'utf-8'), size), { maxLineBytes: 200, onError: 'collect' }),
          ),
        );
        assert.strictEqual(err.code, 'ERR_FILE_LINE', `chunks of ${size}`);
        assert.strictEqual(err.line, 2, `chunks of ${size}`);
      }
    }
    // multi-byte: 100 × '测' is 300 UTF-8 bytes but 100 code units
    const wide = `W-1|1.00|USD|20210826120000||P|0.01|P|${'测'.repeat(100)}`;
    const err = await rejection(collect(parseCompareFile(streamOf(`${a}\n${wide}\n`), { maxLineBytes: 250 })));
    assert.strictEqual(err.line, 2);
    // exactly at the limit is fine (CR counted, LF not)
    const exact = `E-1|1.00|USD|20210826120000||P|0.01|P|`;
    const fit = exact + 'y'.repeat(200 - exact.length - 1);
    assert.strictEqual((await collect(parseCompareFile(streamOf(`${fit}\r\n`), { maxLineBytes: 200 }))).length, 1);
  });

  it('reads a multi-line XML body that starts mid-block (after blank lines)', async () => {
    const xml =
      '<?xml version="1.0" encoding="GBK"?>\n<alipay>\n<is_success>F</is_success>\n<error>ILLEGAL_PARTNER</error>\n</alipay>\n';
    const err = await rejection(collect(parseCompareFile(streamOf('\r\n\n' + xml))));
    assert.strictEqual((err as unknown as { gatewayCode: string }).gatewayCode, 'ILLEGAL_PARTNER');
  });
});

describe('ASCII fast path ≡ general path', () => {
  // The same line parsed in an ASCII block (fast path) and in a block with a non-ASCII line
  // (general path) must give the same row or the same error.
  const cases = [
    ...COMPARE_LINES_8_4,
    'A|0.00|USD|20261124120000||P||P|x',
    'A|0|USD|20261124120000||P||P|x',
    'A|-5.00|USD|20261124120000||R|0.10|P|neg',
    'A|-0.00|USD|20261124120000||R||P|neg zero',
    'A|1.5|USD|2026-11-24 12:00:00|2026-11-25 00:00:00|P|0.1|L|dashed',
    'A|17|JPY|20261124120000||P|1|P|yen',
    'A|17.00|JPY|20261124120000||P||P|yen',
    'A|17.50|JPY|20261124120000||P||P|yen fraction',
    'A|2.50|EUR|20261124120000||P||P|after yen',
    'A|250|JPY|20261124120000||P||P|yen again',
    'A|3.50|USD|20261124120000|20261125000000|P|0.01|L|usd again',
    'A|3.50|EUR|20240229235959||R||P|eur again',
    'A|1234567890.00|USD|20261124120000||P||P|too big',
    'A|123456789.99|USD|20261124120000||P||P|max',
    'A|01.00|USD|20261124120000||P||P|lead zero',
    'A|1.|USD|20261124120000||P||P|dot',
    'A|1.001|USD|20261124120000||P||P|3 decimals',
    'A|1.00|usd|20261124120000||P||P|lower',
    'A|1.00|USDX|20261124120000||P||P|long',
    'A|1.00|USD|20261124250000||P||P|hour',
    'A|1.00|USD|20260230120000||P||P|feb 30',
    'A|1.00|USD|20240229120000||P||P|leap',
    'A|1.00|USD|20261124120000|x|P||P|settle',
    'A|1.00|USD|20261124120000||X||P|type',
    'A|1.00|USD|20261124120000||PP||P|type2',
    'A|1.00|USD|20261124120000||P||Q|status',
    'A|1.00|USD|20261124120000||P||PL|status2',
    'A|1.00|USD|20261124120000||P|x|P|fee',
    '|1.00|USD|20261124120000||P||P|no id',
    'A|1.00|USD|20261124120000||P||P|x|extra1|extra2',
    'A|1.00|USD|20261124120000||P||P|',
    'A|1.00|USD|20261124120000||P||P',
    'A|1.00|USD|20261124120000||P|',
    'A|1.00|USD|20261124120000||',
    'A|',
    'A|1.00|USD|20261124120000||P||P|lone\rCR',
    'A|1.00|USD|20261124120000||P||P|two CRs\r\r',
    'A|1.00|USD|20261124120000||P||P\r',
    'no pipe at all',
    'A|1.00|USD|20261124120000||P',
  ];
  it('gives the same rows and errors for every case', async () => {
    const run = async (text: string): Promise<Array<CompareFileRow | string>> => {
      const got: Array<CompareFileRow | string> = [];
      const records = parseCompareFile(streamOf(text), { onError: (e) => got.push(`${e.line}: ${e.message}`) });
      for await (const r of records) got.push(r);
      return got.sort(
        (x, y) =>
          (typeof x === 'string' ? Number(x.split(':')[0]) : x.line) -
          (typeof y === 'string' ? Number(y.split(':')[0]) : y.line),
      );
    };
    const ascii = await run(cases.join('\n') + '\n');
    const general = await run(cases.join('\n') + '\nZ|1.00|USD|20261124120000||P||P|é\n');
    assert.deepEqual(ascii, general.slice(0, -1));
    assert.strictEqual(ascii.filter((x) => typeof x !== 'string').length, 21);
    // CRLF, and a last line without a line break (read by the fast path only in its own block)
    const crlf = await run(cases.join('\r\n'));
    assert.deepEqual(
      crlf,
      await run(cases.join('\r\n') + '\r\nZ|1.00|USD|20261124120000||P||P|é').then((r) => r.slice(0, -1)),
    );
    assert.strictEqual(crlf.length, ascii.length);
    assert.isTrue(Object.is((ascii[3 + 4] as CompareFileRow).minor.amount, -0));
  });

  it('keeps the rate and liquidation parsers on their paths', async () => {
    const rates = await collect(parseRateFile(streamOf('20210826|101500|USD|6.706400\r\n')));
    assert.strictEqual(rates[0]!.rate, '6.706400');
    const rows = await collect(parseLiquidationFile(streamOf(lines(3).join('\n'))));
    assert.strictEqual(rows.length, 3);
  });
});

describe('char-code scanners match the regexes they replaced', () => {
  const AMOUNT = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;
  const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
  const DASHED = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
  const alphabet = ['0', '1', '2', '5', '9', '.', '-', ' ', ':', 'a', '٣', '|'];
  let seed = 42;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const randomText = (len: number): string =>
    Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join('');

  it('scanHundredths ≡ AMOUNT + split + Number', () => {
    const texts = [
      '0',
      '00',
      '0.0',
      '0.00',
      '0.000',
      '1',
      '1.',
      '.5',
      '10.5',
      '999999999.99',
      '1000000000',
      '-1',
      '',
      '1e3',
      ' 1',
    ];
    for (let i = 0; i < 20000; i++) texts.push(randomText(1 + rand(8)));
    for (const t of texts) {
      const h = scanHundredths(t, 0, t.length);
      if (!AMOUNT.test(t)) assert.strictEqual(h, -1, t);
      else {
        const [w, f = ''] = t.split('.') as [string, string?];
        assert.strictEqual(h, w.length > 9 ? -2 : Number(w) * 100 + Number((f + '00').slice(0, 2)), t);
        if (w.length <= 9) assert.strictEqual(toMinorUnits(t, 'USD', { range: false }), h, t);
      }
    }
  });

  it('date-time checks ≡ the regexes + calendar rules', () => {
    const real = (m: RegExpExecArray | null): boolean => {
      if (!m) return false;
      const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
      const dim =
        mo === 2
          ? (y! % 4 === 0 && y! % 100 !== 0) || y! % 400 === 0
            ? 29
            : 28
          : [4, 6, 9, 11].includes(mo!)
            ? 30
            : 31;
      return (
        y! >= 1000 && y! <= 9999 && mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= dim && h! <= 23 && mi! <= 59 && s! <= 59
      );
    };
    const texts = [
      '20240229235959',
      '20230229000000',
      '20261124240000',
      '2026-11-24 23:59:59',
      '2026-11-24T23:59:59',
      '2026-13-01 00:00:00',
      '09991231000000',
      '99991231235959',
    ];
    for (let i = 0; i < 20000; i++) {
      const base = i % 2 ? '20261124120000' : '2026-11-24 12:00:00';
      const k = rand(base.length);
      texts.push(base.slice(0, k) + alphabet[rand(alphabet.length)] + base.slice(k + 1));
    }
    for (const t of texts) {
      assert.strictEqual(isCompactDateTime(t), real(COMPACT.exec(t)), t);
      assert.strictEqual(isDashedDateTime(t), real(DASHED.exec(t)), t);
      assert.strictEqual(isDateTimeAt(`|${t}|`, 1, t.length + 1), real(COMPACT.exec(t)) || real(DASHED.exec(t)), t);
      // The byte reader of the ASCII fast path (only ever given ASCII; UTF-8 here keeps '٣' a non-digit).
      const bytes = new TextEncoder().encode(`|${t}|`);
      if (bytes.length === t.length + 2)
        assert.strictEqual(isDateTimeBytes(bytes, 1, t.length + 1), real(COMPACT.exec(t)) || real(DASHED.exec(t)), t);
    }
    assert.strictEqual(parseYmd('20240229'), parseYmd('20240228')! + 1);
    assert.isUndefined(parseYmd('20230229'));
    assert.isUndefined(parseYmd('2023022٣'));
    assert.isTrue(isCompactTime('235959'));
    assert.isFalse(isCompactTime('240000'));
  });
});
