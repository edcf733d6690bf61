// Byte-level helpers of the file parsers: the chunk source, and finding line ends (0x0A).
// Splitting on bytes before decoding is safe for GBK: both bytes of a GBK pair are ≥ 0x40 and
// every byte of a GB18030 four-byte sequence is ≥ 0x30, so 0x0A (and 0x0D) is never inside a
// character (§8.3, §10). Internal.
import { AlipayFileError } from '../errors.js';

/** What the file parsers read: a `ReadableStream` of bytes or any async iterable of `Uint8Array` (e.g. a Node `Readable`). */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** The chunks of `source`, in order. Stopping early cancels a `ReadableStream`. */
export async function* chunks(source: ByteSource): AsyncGenerator<Uint8Array> {
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

// The %TypedArray% methods themselves, not a subclass's overrides (Node streams yield a
// Uint8Array subclass whose indexOf coerces its arguments first): one code path everywhere.
const indexOf = Uint8Array.prototype.indexOf;
export const lastIndexOf = Uint8Array.prototype.lastIndexOf;

/** Index of the first 0x0A at or after `from`, or -1. */
export function nextNewline(bytes: Uint8Array, from: number): number {
  return indexOf.call(bytes, 0x0a, from);
}

/** Index of the last 0x0A, or -1. */
export function lastNewline(bytes: Uint8Array): number {
  return lastIndexOf.call(bytes, 0x0a);
}

/** `parts` followed by `tail`, as one array (`total` = their summed length). */
export function concatBytes(parts: readonly Uint8Array[], total: number, tail?: Uint8Array): Uint8Array {
  if (parts.length === 1 && !tail?.length) return parts[0]!;
  if (parts.length === 0 && tail) return tail;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  if (tail) out.set(tail, o);
  return out;
}

export function tooLong(line: number, max: number): AlipayFileError {
  return new AlipayFileError('ERR_FILE_LINE', `line ${line} is longer than ${max} bytes`, { line });
}
