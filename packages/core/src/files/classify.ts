/**
 * Telling a record file from an error body (protocol §8.3, §10): the file services answer
 * business failures as plain-text sentences, partner problems as XML, and "no records" as a
 * sentence that means an empty result.
 *
 * @module
 */
import { FILE_ERROR_PREFIX, FILE_ERROR_SENTENCES } from '../services/file-date-range.js';

/** What the start of a file-service body is. */
export type FileBodyKind =
  { kind: 'records' } | { kind: 'xml' } | { kind: 'no-data'; sentence: string } | { kind: 'error'; sentence: string };

const NO_DATA: readonly string[] = [FILE_ERROR_SENTENCES.NO_DATA, FILE_ERROR_SENTENCES.NO_DATA_SETTLEMENT];
// Rate-file error texts (§10; exact wording uncertain) plus every §8.3 sentence.
const KNOWN: readonly string[] = [...Object.values(FILE_ERROR_SENTENCES), 'Merchant ID incorrect', 'File empty'];

/**
 * Classify the first non-empty line of a file-service body. `xml` for `<?xml` / `<alipay>`
 * (a gateway failure, §8.3 last row); `no-data` for "No balance account data in the period"
 * (and the settlement variant), which means an empty result, not an error; `error` for a
 * `File download failed:` sentence, another known sentence, or any first line without a `|`
 * (a record line always has one); `records` otherwise. The sentence is returned without the
 * prefix and bounded in length, safe to show.
 *
 * @example
 * ```ts
 * classifyFileBody('File download failed:Over 10 days to Date period')
 * // { kind: 'error', sentence: 'Over 10 days to Date period' }
 * classifyFileBody('20210826|101500|USD|6.706400') // { kind: 'records' }
 * ```
 */
export function classifyFileBody(firstLine: string): FileBodyKind {
  const t = String(firstLine)
    .replace(/^\uFEFF/, '')
    .trim();
  if (/^<\?xml/i.test(t) || /^<alipay[\s>]/.test(t)) return { kind: 'xml' };
  const sentence = (t.startsWith(FILE_ERROR_PREFIX) ? t.slice(FILE_ERROR_PREFIX.length) : t).trim();
  const printable = sentence.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
  if (NO_DATA.some((s) => sentence.startsWith(s))) return { kind: 'no-data', sentence: printable };
  if (t.startsWith(FILE_ERROR_PREFIX) || KNOWN.some((s) => sentence.startsWith(s)) || !t.includes('|'))
    return { kind: 'error', sentence: printable };
  return { kind: 'records' };
}
