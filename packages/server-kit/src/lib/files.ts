// Streaming line parser for the plain-text file services (protocol §8.3, §8.4, §10). A local
// adapter until core's files/* lands: constant memory, CRLF or LF, empty lines ignored.
import { AlipayFileError, type Charset } from '@alipay-kit/core';
import { parseGatewayXml } from '@alipay-kit/core';

/** One record of `forex_compare_file` / `forex_liquidation_file` (§8.4; wide layout §9 by header name). */
export interface TransactionRow {
  partner_transaction_id: string;
  amount: string;
  currency: string;
  payment_time: string;
  settlement_time: string;
  /** `P` payment, `R` refund. */
  type: string;
  fee: string;
  /** `P` processed, `L` liquidated. */
  status: string;
  remarks: string;
  /** Further columns of the wide layout (lower-cased header names) or unknown trailing columns (`col_9`, …). */
  [column: string]: string;
}

/** One line of `forex_rate_file` (§10): `Date|Time|Currency|Rate`, rate = CNY per unit. */
export interface RateRow {
  date: string;
  time: string;
  currency: string;
  rate: string;
  [column: string]: string;
}

const LEGACY = ['partner_transaction_id', 'amount', 'currency', 'payment_time', 'settlement_time', 'type', 'fee', 'status', 'remarks'] as const;
const EMPTY = /No balance (account|amount) data in the period/i;
const FAILURE = /^(File download failed:|Over limit balance amount record|System exception|Internet connected exception|File empty|Merchant ID incorrect)/i;

/** Progress callback: bytes read so far. */
export type ProgressCallback = (progress: { bytes: number }) => void;

async function* lines(body: ReadableStream<Uint8Array> | null, charset: Charset, onProgress: ProgressCallback | undefined, label: string): AsyncGenerator<string> {
  if (!body) return;
  const reader = body.getReader();
  const decoder = new TextDecoder(charset);
  let buf = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      onProgress?.({ bytes });
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n')) !== -1) {
        yield buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
      }
      if (buf.length > 1 << 20) throw new AlipayFileError('ERR_FILE_LINE', `${label}: a line exceeds 1 MiB`);
    }
    buf += decoder.decode();
    if (buf !== '') yield buf.replace(/\r$/, '');
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * Parse a file-service body. Yields rows; throws {@link AlipayFileError} `ERR_FILE_REQUEST`
 * for an error sentence or an XML failure, `ERR_FILE_LINE` for a malformed line.
 */
export async function* _parseFileBody<R>(
  body: ReadableStream<Uint8Array> | null,
  charset: Charset,
  kind: 'transactions' | 'rates',
  label: string,
  onProgress?: ProgressCallback,
): AsyncGenerator<R> {
  let header: string[] | undefined;
  let lineNo = 0;
  let first = true;
  let xml: string | undefined;
  for await (const line of lines(body, charset, onProgress, label)) {
    lineNo++;
    if (xml !== undefined) {
      xml += '\n' + line;
      continue;
    }
    if (line.trim() === '') continue;
    if (first) {
      first = false;
      const t = line.trim();
      if (t.startsWith('<?xml') || t.startsWith('<alipay')) {
        xml = line;
        continue;
      }
      if (EMPTY.test(t)) return;
      if (FAILURE.test(t) || !t.includes('|')) {
        const sentence = t.slice(0, 160);
        throw new AlipayFileError('ERR_FILE_REQUEST', `${label}: gateway answered "${sentence}"`, { gatewayCode: sentence });
      }
      if (/^Partner_transaction_id\|/i.test(t) || /^Date\|Time\|/i.test(t)) {
        header = t.split('|').map((h) => h.trim().toLowerCase());
        continue;
      }
    }
    const cols = line.split('|');
    if (kind === 'rates') {
      if (cols.length < 4) throw new AlipayFileError('ERR_FILE_LINE', `${label}: line ${lineNo} has ${cols.length} fields, expected Date|Time|Currency|Rate`, { line: lineNo });
      const row: RateRow = { date: cols[0]!, time: cols[1]!, currency: cols[2]!, rate: cols[3]! };
      for (let i = 4; i < cols.length; i++) row[`col_${i}`] = cols[i]!;
      yield row as R;
      continue;
    }
    if (header) {
      if (cols.length < header.length) throw new AlipayFileError('ERR_FILE_LINE', `${label}: line ${lineNo} has ${cols.length} fields, header has ${header.length}`, { line: lineNo });
      const row = Object.create(null) as TransactionRow;
      for (const k of LEGACY) row[k] = '';
      header.forEach((h, i) => (row[h] = cols[i]!));
      yield row as R;
      continue;
    }
    if (cols.length < 9) throw new AlipayFileError('ERR_FILE_LINE', `${label}: line ${lineNo} has ${cols.length} fields, expected at least 9`, { line: lineNo });
    const row = Object.create(null) as TransactionRow;
    LEGACY.forEach((k, i) => (row[k] = cols[i]!));
    for (let i = 9; i < cols.length; i++) row[`col_${i}`] = cols[i]!;
    yield row as R;
  }
  if (xml !== undefined) {
    const parsed = parseGatewayXml(xml);
    const code = parsed.error ?? 'UNKNOWN';
    throw new AlipayFileError('ERR_FILE_REQUEST', `${label}: gateway answered ${code}`, { gatewayCode: code });
  }
}
