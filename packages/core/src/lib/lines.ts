// Split a byte stream into lines on 0x0A, dropping one trailing 0x0D (CRLF or LF). Splitting on
// bytes before decoding is safe for GBK: both bytes of a GBK pair are ≥ 0x40, so 0x0A is never
// inside a character (§8.3, §10). Only the current partial line is buffered. Internal.
import { AlipayFileError } from '../errors.js';

export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface RawLine {
  bytes: Uint8Array;
  /** 1-based. */
  line: number;
}

async function* chunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source && typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    let done = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      // The consumer stopped early (break, throw): tell the producer, then let go.
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } else if (source && typeof (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    yield* source as AsyncIterable<Uint8Array>;
  } else {
    throw new TypeError('expected a ReadableStream<Uint8Array> or an async iterable of Uint8Array');
  }
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function* splitLines(source: ByteSource, maxLineBytes: number): AsyncGenerator<RawLine> {
  let parts: Uint8Array[] = [];
  let pending = 0;
  let line = 0;
  const emit = (tail: Uint8Array): RawLine => {
    parts.push(tail);
    let bytes = join(parts, pending + tail.length);
    parts = [];
    pending = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    return { bytes, line: ++line };
  };
  for await (const chunk of chunks(source)) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('the stream must yield Uint8Array chunks');
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      if (pending + nl - start > maxLineBytes) throw tooLong(line + 1, maxLineBytes);
      yield emit(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pending += rest.length;
      if (pending > maxLineBytes) throw tooLong(line + 1, maxLineBytes);
      // Copy: the producer may reuse its buffer.
      parts.push(rest.slice());
    }
  }
  if (pending > 0) yield emit(new Uint8Array(0));
}

function tooLong(line: number, max: number): AlipayFileError {
  return new AlipayFileError('ERR_FILE_LINE', `line ${line} is longer than ${max} bytes`, { line });
}
