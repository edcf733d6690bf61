// The shared engine of the file parsers: chunks → lines → classification of the body → typed
// rows, malformed lines thrown or collected with their line number. Internal.
//
// Performance (bench P4): a chunk is handled in one synchronous pass. Everything up to its last
// 0x0A is decoded with ONE `TextDecoder` call and split as a string; rows are produced into one
// array per chunk, so there is one `await` per chunk rather than two async-generator hops per
// line. Only a block that fails fatal decoding is redone line by line, to name the bad line.
// Memory stays constant: the current chunk, its rows, and the partial last line (`carry`).
import type { Charset } from '../charset.js';
import { AlipayError, AlipayFileError } from '../errors.js';
import { classifyFileBody } from '../files/classify.js';
import { gatewayErrorFrom } from '../xml/gateway-error.js';
import { parseGatewayXml, DEFAULT_MAX_XML_BYTES } from '../xml/parse.js';
import { chunks, concatBytes, lastIndexOf, lastNewline, nextNewline, tooLong, type ByteSource } from './lines.js';

/** Bytes decoded and parsed per batch (see `step`). */
const BLOCK_BYTES = 64 * 1024;
/** Chunks up to this size are copied into a reused buffer (see `start`); larger ones are read in place. */
const MAX_SCRATCH = 4 * 1024 * 1024;

/** Options of the streaming file parsers. */
export interface FileParseOptions {
  /** Charset of the file bytes. Default `utf-8`. */
  charset?: Charset;
  /**
   * What to do with a malformed line: `'throw'` (default) stops with `AlipayFileError`
   * `ERR_FILE_LINE`; `'collect'` skips it and records the error in `errors`; a function is
   * called with the error and parsing continues.
   *
   * Lines are parsed a chunk of the stream at a time, so the function (and `errors`) may run
   * ahead of the rows you have consumed by up to one chunk. With `'throw'` the rows before the
   * bad line are still delivered first, then the error.
   */
  onError?: 'throw' | 'collect' | ((error: AlipayFileError) => void);
  /** Longest accepted line in bytes. Default 65536. */
  maxLineBytes?: number;
  /** At most this many errors are kept in `errors` with `'collect'` (the count goes on). Default 1000. */
  maxErrors?: number;
}

/**
 * A single-use async iterable of rows, with the errors met so far. Iterate it row by row with
 * `for await`, or chunk by chunk with {@link FileRecords.batches} (faster for large files);
 * either way only once.
 */
export interface FileRecords<T> extends AsyncIterable<T> {
  /** Errors of malformed lines (with `onError: 'collect'`), at most `maxErrors`. */
  readonly errors: readonly AlipayFileError[];
  /** How many malformed lines were met, including those not kept. */
  readonly errorCount: number;
  /** True once the body turned out to be the "no data in the period" sentence (§8.3). */
  readonly noData: boolean;
  /** Rows yielded so far. */
  readonly rowCount: number;
  /**
   * The rows in arrays, one (non-empty) array per chunk of the stream that completed at least
   * one row: the same rows, errors and line numbers as iterating row by row, with one `await`
   * per chunk instead of one per row. Each array is fresh and yours to keep. Like the row
   * iterator it can be taken only once, and not together with it; stopping early (`break`)
   * cancels the stream.
   *
   * @example
   * ```ts
   * const records = parseCompareFile(response.body!)
   * for await (const rows of records.batches()) {
   *   for (const row of rows) ledger.match(row.partner_transaction_id, row.minor.amount)
   * }
   * ```
   */
  batches(): AsyncIterableIterator<T[]>;
}

export interface RecordSpec<T> {
  /** Does this first line declare a header? Returns the column names. */
  header?: (text: string) => string[] | undefined;
  /**
   * One record line: `text.slice(start, end)` (without CR/LF; `text` may hold other lines
   * around it, so read fields straight out of it rather than slicing the line first).
   * `header` is set when the body declared one. Throws for a malformed line.
   */
  parse: (text: string, start: number, end: number, line: number, header: string[] | undefined) => T;
  /**
   * Optional fast path for an all-ASCII block, where `bytes[i]` is `text.charCodeAt(i - offset)`:
   * the line starting at `start` (it ends at the first 0x0A from there, at `limit` at the
   * latest; CR before it not included) read from the bytes in one pass, line end included
   * (bench P4: no separate search for it). Returns the same row `parse` would give for the line
   * and sets {@link asciiLine}`.lf` to the index of its 0x0A; or `undefined` for anything
   * unusual, which then goes to `parse` (errors included). Must not read a field across a 0x0A.
   */
  parseAscii?: (
    bytes: Uint8Array,
    start: number,
    limit: number,
    text: string,
    offset: number,
    line: number,
    header: string[] | undefined,
  ) => T | undefined;
  what: string;
}

/** Where {@link RecordSpec.parseAscii} puts the index of the 0x0A ending the line it read (parsing is synchronous). */
export const asciiLine = { lf: 0 };

/** `text.slice(start, end).split('|')`, for the specs that want an array. */
export function splitFields(text: string, start: number, end: number): string[] {
  return (start === 0 && end === text.length ? text : text.slice(start, end)).split('|');
}

/** The 0x0A ending the line at byte `p` of an ASCII block (`s` = its bytes from `from`), or `end`. */
function lineEndAt(s: string, p: number, from: number, end: number): number {
  // String#indexOf is the cheaper search here (the %TypedArray% one is a runtime call).
  const q = s.indexOf('\n', p - from);
  return q === -1 ? end : q + from;
}

export function lineError(line: number, message: string, cause?: unknown): AlipayFileError {
  return new AlipayFileError(
    'ERR_FILE_LINE',
    `line ${line}: ${message}`,
    cause === undefined ? { line } : { line, cause },
  );
}

/** `/^\s*$/.test(text)`, without the regex for the usual line that starts with a visible ASCII character. */
function blank(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return /^\s*$/.test(text);
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
  // TextDecoder drops a leading BOM in UTF-8 only; a per-line decode would drop it on every line.
  const stripsBom = charset === 'utf-8';
  // A UTF-16 code unit comes from at most 4 bytes (GB18030 four-byte sequences; UTF-8 needs 3,
  // plus a dropped 3-byte BOM): a line of `n` units below this needs no exact byte count.
  const safeUnits = Math.floor((maxLine - 4) / 4);

  const input = chunks(source);
  const parseAscii = spec.parseAscii;
  let line = 0; // number of the last line met
  let first = true; // no non-blank line met yet
  let header: string[] | undefined;
  let xml: string | undefined; // the body is XML: read the rest (bounded), then raise it
  let finished = false; // no more rows: end of input, "no data", or a failure
  let failure: { error: unknown } | undefined; // raised once the rows before it are delivered
  let closed = false;
  let carry: Uint8Array[] = []; // the partial last line, copied
  let carryLen = 0;
  let out: T[] = [];

  function report(e: AlipayFileError): void {
    if (onError === 'throw') throw e;
    state.errorCount++;
    if (onError === 'collect') {
      if (errors.length < maxErrors) errors.push(e);
    } else onError(e);
  }

  /** One decoded line, without its line break and its CR. */
  function text(t: string, ln: number): void {
    if (first && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    if (blank(t)) return;
    if (first) {
      first = false;
      const kind = classifyFileBody(t);
      if (kind.kind === 'xml') {
        xml = t;
        return;
      }
      if (kind.kind === 'no-data') {
        state.noData = true;
        finished = true;
        return;
      }
      if (kind.kind === 'error')
        throw new AlipayFileError('ERR_FILE_REQUEST', `${spec.what} request failed: ${kind.sentence}`);
      header = spec.header?.(t);
      if (header) return;
    }
    record(t, 0, t.length, ln);
  }

  /** A record line (`text.slice(start, end)`, not blank, not the first one). */
  function record(t: string, start: number, end: number, ln: number): void {
    let row: T;
    try {
      row = spec.parse(t, start, end, ln, header);
    } catch (e) {
      report(
        e instanceof AlipayFileError ? e : lineError(ln, e instanceof AlipayError ? e.message : 'is malformed', e),
      );
      return;
    }
    out.push(row);
  }

  /** One line as bytes (without its LF). */
  function bytesLine(b: Uint8Array, ln: number): void {
    if (b.length > 0 && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
    if (xml !== undefined) {
      // An XML body is a gateway failure (§8.3): keep reading it, bounded, then raise its code.
      xml += '\n' + new TextDecoder(charset).decode(b);
      if (xml.length > DEFAULT_MAX_XML_BYTES) raiseXml();
      return;
    }
    let t: string;
    try {
      t = decoder.decode(b);
    } catch (e) {
      report(lineError(ln, `is not valid ${charset.toUpperCase()}`, e));
      return;
    }
    text(t, ln);
  }

  function raiseXml(): never {
    finished = true;
    const result = parseGatewayXml(xml!);
    if (result.is_success === 'F') throw gatewayErrorFrom(result);
    throw new AlipayFileError('ERR_FILE_REQUEST', `${spec.what} request answered with XML instead of records`);
  }

  /** The lines of `chunk[from, end)`, each ending at a 0x0A (`chunk[end]` is one), one by one. */
  function byLine(chunk: Uint8Array, from: number, end: number): void {
    for (let p = from; ;) {
      const q = nextNewline(chunk, p);
      if (q - p > maxLine) throw tooLong(line + 1, maxLine);
      bytesLine(chunk.subarray(p, q), ++line);
      if (finished || q >= end) return;
      p = q + 1;
    }
  }

  /** The lines of `chunk[from, end)` as above, decoded in one call. */
  function block(chunk: Uint8Array, from: number, end: number): void {
    if (xml !== undefined) return byLine(chunk, from, end);
    let s: string;
    try {
      s = decoder.decode(chunk.subarray(from, end));
    } catch {
      // Some line is not valid in the charset: redo the block line by line to say which.
      return byLine(chunk, from, end);
    }
    // As many UTF-16 units as bytes: every byte is ASCII (no multi-byte character, no BOM).
    if (s.length === end - from) return asciiBlock(chunk, from, end, s);
    // Byte offset of line `k` of the block, found lazily (rare: long lines, an XML body).
    let cursorLine = 0;
    let cursorByte = from;
    const startOf = (k: number): number => {
      for (; cursorLine < k; cursorLine++) cursorByte = nextNewline(chunk, cursorByte) + 1;
      return cursorByte;
    };
    for (let p = 0, k = 0; ; k++) {
      const q = s.indexOf('\n', p);
      const e = q === -1 ? s.length : q;
      if (e - p > safeUnits) {
        const b = startOf(k);
        if (nextNewline(chunk, b) - b > maxLine) throw tooLong(line + 1, maxLine);
      }
      const lineEnd = e > p && s.charCodeAt(e - 1) === 0x0d ? e - 1 : e;
      const c = s.charCodeAt(p);
      if (!first && c > 0x20 && c < 0x7f) {
        // The usual record line: parsed in place, no line string.
        record(s, p, lineEnd, ++line);
      } else {
        let t = s.slice(p, lineEnd);
        // TextDecoder dropped a BOM at the start of the block; a per-line decode would on every line.
        if (stripsBom && k > 0 && c === 0xfeff) t = t.slice(1);
        text(t, ++line);
      }
      if (finished) return;
      if (q === -1) return;
      if (xml !== undefined) return byLine(chunk, startOf(k + 1), end);
      p = q + 1;
    }
  }

  /**
   * {@link block} for an all-ASCII block, where byte offsets are string offsets: record lines go
   * to `spec.parseAscii`, which finds their end as it reads them (bench P4: reading a row's
   * fields from bytes in one pass beats `String#indexOf` per field and `charCodeAt`); the other
   * lines are found with `String#indexOf`.
   */
  function asciiBlock(chunk: Uint8Array, from: number, end: number, s: string): void {
    const rows = out;
    for (let p = from; ;) {
      const c = chunk[p]!;
      let i: number; // the line's 0x0A (`end` for the last one)
      if (!first && c > 0x20 && c < 0x7f) {
        const row = parseAscii ? parseAscii(chunk, p, end, s, from, line + 1, header) : undefined;
        if (row !== undefined) {
          i = asciiLine.lf;
          if (i - p > maxLine) throw tooLong(line + 1, maxLine);
          line++;
          rows.push(row);
        } else {
          i = lineEndAt(s, p, from, end);
          if (i - p > maxLine) throw tooLong(line + 1, maxLine);
          record(s, p - from, (i > p && chunk[i - 1] === 0x0d ? i - 1 : i) - from, ++line);
        }
      } else {
        i = lineEndAt(s, p, from, end);
        if (i - p > maxLine) throw tooLong(line + 1, maxLine);
        text(s.slice(p - from, (i > p && chunk[i - 1] === 0x0d ? i - 1 : i) - from), ++line);
      }
      if (finished || i >= end) return;
      if (xml !== undefined) return byLine(chunk, i + 1, end);
      p = i + 1;
    }
  }

  // The chunk being read, and where: rows go out a block of about BLOCK_BYTES at a time so
  // that they die young (a whole 1 MB chunk of rows outlives the young generation: bench P4).
  let chunk: Uint8Array | undefined;
  let pos = 0;
  let last = -1; // the chunk's last 0x0A

  // Our own copy of the chunk being read: the producer's chunk is let go at once rather than
  // held across the awaits of the chunk's batches, and the byte readers see one kind of array
  // (a plain Uint8Array, not a Node subclass). One memcpy per chunk, the copy reused.
  let scratch: Uint8Array | undefined;

  function start(input: Uint8Array): void {
    if (!(input instanceof Uint8Array)) throw new TypeError('the stream must yield Uint8Array chunks');
    let c = input;
    if (c.length <= MAX_SCRATCH) {
      if (!scratch || scratch.length < c.length) scratch = new Uint8Array(Math.max(c.length, BLOCK_BYTES));
      scratch.set(c);
      c = scratch.subarray(0, c.length);
    }
    last = lastNewline(c);
    pos = 0;
    if (last === -1) return keep(c, 0);
    chunk = c;
    if (carryLen > 0) {
      // The first line of this chunk completes the carried one.
      const nl = nextNewline(c, 0);
      if (carryLen + nl > maxLine) throw tooLong(line + 1, maxLine);
      const b = concatBytes(carry, carryLen + nl, c.subarray(0, nl));
      carry = [];
      carryLen = 0;
      pos = nl + 1;
      bytesLine(b, ++line);
    }
  }

  /** The next block of the current chunk; its tail goes to `carry` once every line is read. */
  function step(): void {
    const c = chunk!;
    if (pos <= last && !finished) {
      let to = last;
      if (last - pos > BLOCK_BYTES) {
        to = lastIndexOf.call(c, 0x0a, pos + BLOCK_BYTES);
        if (to < pos) to = nextNewline(c, pos + BLOCK_BYTES); // one line longer than a block
      }
      const from = pos;
      pos = to + 1;
      block(c, from, to);
    }
    if (pos > last || finished) {
      chunk = undefined;
      if (!finished) keep(c, last + 1);
    }
  }

  /** Carry `c[from…]`, a line still without its end. */
  function keep(c: Uint8Array, from: number): void {
    if (from >= c.length) return;
    carryLen += c.length - from;
    if (carryLen > maxLine) throw tooLong(line + 1, maxLine);
    // Copy: the producer may reuse its buffer.
    carry.push(c.slice(from));
  }

  function end(): void {
    if (carryLen > 0) {
      const b = concatBytes(carry, carryLen);
      carry = [];
      carryLen = 0;
      bytesLine(b, ++line);
    }
    if (xml !== undefined && !finished) raiseXml();
    finished = true;
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    carry = [];
    chunk = undefined;
    scratch = undefined;
    await input.return(undefined);
  }

  /** The rows of the next chunk that has any; `undefined` at the end. Throws a failure after the rows before it. */
  async function pull(): Promise<T[] | undefined> {
    for (;;) {
      if (finished) {
        await close();
        if (failure) {
          const { error } = failure;
          failure = undefined;
          throw error;
        }
        return undefined;
      }
      out = [];
      if (chunk) {
        try {
          step();
        } catch (e) {
          finished = true;
          failure = { error: e };
        }
        if (out.length > 0) return out;
        continue;
      }
      let r: IteratorResult<Uint8Array>;
      try {
        r = await input.next();
      } catch (e) {
        finished = true;
        closed = true;
        throw e;
      }
      try {
        if (r.done) end();
        else start(r.value);
      } catch (e) {
        finished = true;
        failure = { error: e };
      }
      if (out.length > 0) return out;
    }
  }

  function claim(): void {
    if (state.used) throw new TypeError('file records can be iterated only once');
    state.used = true;
  }

  // Row by row, without an async generator: rows come from the current batch, `pull` runs once
  // per chunk. Calls are serialised like a generator's.
  function rowIterator(): AsyncIterableIterator<T> {
    let batch: T[] = [];
    let i = 0;
    let done = false;
    let busy: Promise<IteratorResult<T>> | undefined;
    const fill = async (): Promise<IteratorResult<T>> => {
      try {
        const b = await pull();
        if (!b) {
          done = true;
          return { value: undefined, done: true };
        }
        batch = b;
        i = 1;
        state.rowCount++;
        return { value: b[0]!, done: false };
      } catch (e) {
        done = true;
        batch = [];
        throw e;
      } finally {
        busy = undefined;
      }
    };
    const it: AsyncIterableIterator<T> = {
      next(): Promise<IteratorResult<T>> {
        if (busy)
          return busy.then(
            () => it.next(),
            () => it.next(),
          );
        if (i < batch.length) {
          state.rowCount++;
          return Promise.resolve({ value: batch[i++]!, done: false });
        }
        if (done) return Promise.resolve({ value: undefined, done: true });
        return (busy = fill());
      },
      async return(value?: unknown): Promise<IteratorResult<T>> {
        if (busy) await busy.catch(() => undefined);
        done = true;
        batch = [];
        await close();
        return { value: value as T, done: true };
      },
      [Symbol.asyncIterator]() {
        return it;
      },
    };
    return it;
  }

  async function* batchIterator(): AsyncGenerator<T[]> {
    try {
      for (;;) {
        const b = await pull();
        if (!b) return;
        state.rowCount += b.length;
        yield b;
      }
    } finally {
      await close();
    }
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
    batches() {
      claim();
      return batchIterator();
    },
    [Symbol.asyncIterator]() {
      claim();
      return rowIterator();
    },
  };
}
