// The shared engine of the file parsers: lines → classification of the body → typed rows,
// malformed lines thrown or collected with their line number. Internal.
import type { Charset } from '../charset.js';
import { AlipayError, AlipayFileError } from '../errors.js';
import { classifyFileBody } from '../files/classify.js';
import { gatewayErrorFrom } from '../xml/gateway-error.js';
import { parseGatewayXml, DEFAULT_MAX_XML_BYTES } from '../xml/parse.js';
import { splitLines, type ByteSource } from './lines.js';

/** Options of the streaming file parsers. */
export interface FileParseOptions {
  /** Charset of the file bytes. Default `utf-8`. */
  charset?: Charset;
  /**
   * What to do with a malformed line: `'throw'` (default) stops with `AlipayFileError`
   * `ERR_FILE_LINE`; `'collect'` skips it and records the error in `errors`; a function is
   * called with the error and parsing continues.
   */
  onError?: 'throw' | 'collect' | ((error: AlipayFileError) => void);
  /** Longest accepted line in bytes. Default 65536. */
  maxLineBytes?: number;
  /** At most this many errors are kept in `errors` with `'collect'` (the count goes on). Default 1000. */
  maxErrors?: number;
}

/** A single-use async iterable of rows, with the errors met so far. */
export interface FileRecords<T> extends AsyncIterable<T> {
  /** Errors of malformed lines (with `onError: 'collect'`), at most `maxErrors`. */
  readonly errors: readonly AlipayFileError[];
  /** How many malformed lines were met, including those not kept. */
  readonly errorCount: number;
  /** True once the body turned out to be the "no data in the period" sentence (§8.3). */
  readonly noData: boolean;
  /** Rows yielded so far. */
  readonly rowCount: number;
}

export interface LineContext {
  line: number;
  header: string[] | undefined;
}

export interface RecordSpec<T> {
  /** Does this first line declare a header? Returns the column names. */
  header?: (text: string) => string[] | undefined;
  parse: (fields: string[], ctx: LineContext) => T;
  what: string;
}

export function lineError(line: number, message: string, cause?: unknown): AlipayFileError {
  return new AlipayFileError('ERR_FILE_LINE', `line ${line}: ${message}`, cause === undefined ? { line } : { line, cause });
}

export function records<T>(source: ByteSource, options: FileParseOptions, spec: RecordSpec<T>): FileRecords<T> {
  const charset = options.charset ?? 'utf-8';
  if (charset !== 'utf-8' && charset !== 'gbk') throw new TypeError("charset must be 'utf-8' or 'gbk'");
  const onError = options.onError ?? 'throw';
  const maxLine = options.maxLineBytes ?? 65536;
  const maxErrors = options.maxErrors ?? 1000;
  const errors: AlipayFileError[] = [];
  const state = { errorCount: 0, noData: false, rowCount: 0, used: false };
  const decoder = new TextDecoder(charset, { fatal: true });

  async function* run(): AsyncGenerator<T> {
    let first = true;
    let header: string[] | undefined;
    const lines = splitLines(source, maxLine);
    for await (const { bytes, line } of lines) {
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch (e) {
        report(lineError(line, `is not valid ${charset.toUpperCase()}`, e));
        continue;
      }
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (/^\s*$/.test(text)) continue;
      if (first) {
        first = false;
        const kind = classifyFileBody(text);
        if (kind.kind === 'xml') await throwXml(text, lines);
        if (kind.kind === 'no-data') {
          state.noData = true;
          return;
        }
        if (kind.kind === 'error') throw new AlipayFileError('ERR_FILE_REQUEST', `${spec.what} request failed: ${kind.sentence}`);
        header = spec.header?.(text);
        if (header) continue;
      }
      let row: T;
      try {
        row = spec.parse(text.split('|'), { line, header });
      } catch (e) {
        report(e instanceof AlipayFileError ? e : lineError(line, e instanceof AlipayError ? e.message : 'is malformed', e));
        continue;
      }
      state.rowCount++;
      yield row;
    }
  }

  function report(e: AlipayFileError): void {
    if (onError === 'throw') throw e;
    state.errorCount++;
    if (onError === 'collect') {
      if (errors.length < maxErrors) errors.push(e);
    } else onError(e);
  }

  // An XML body is a gateway failure (§8.3): read the rest (bounded) and raise its code.
  async function throwXml(firstText: string, rest: AsyncGenerator<{ bytes: Uint8Array }>): Promise<never> {
    let xml = firstText;
    for await (const { bytes } of rest) {
      xml += '\n' + new TextDecoder(charset).decode(bytes);
      if (xml.length > DEFAULT_MAX_XML_BYTES) break;
    }
    const result = parseGatewayXml(xml);
    if (result.is_success === 'F') throw gatewayErrorFrom(result);
    throw new AlipayFileError('ERR_FILE_REQUEST', `${spec.what} request answered with XML instead of records`);
  }

  return {
    get errors() {
      return errors;
    },
    get errorCount() {
      return state.errorCount;
    },
    get noData() {
      return state.noData;
    },
    get rowCount() {
      return state.rowCount;
    },
    [Symbol.asyncIterator]() {
      if (state.used) throw new TypeError('file records can be iterated only once');
      state.used = true;
      return run();
    },
  };
}
