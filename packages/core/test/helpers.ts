// Test helpers shared by core's suites (browser-safe: no node: imports).
import { assert } from 'vitest';
import { AlipayError } from '../src/index.js';

/** Assert that `fn` throws an AlipayError with `code` (and `field`, when given). */
export function throwsCode(fn: () => unknown, code: string, field?: string): AlipayError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.instanceOf(caught, AlipayError, `expected an AlipayError ${code}`);
  const err = caught as AlipayError;
  assert.equal(err.code, code, err.message);
  if (field !== undefined) assert.equal(err.field, field);
  return err;
}

/** Assert that a promise rejects with an AlipayError with `code`. */
export async function rejectsCode(p: Promise<unknown>, code: string): Promise<AlipayError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.instanceOf(caught, AlipayError, `expected a rejection with ${code}`);
  assert.equal((caught as AlipayError).code, code, (caught as Error).message);
  return caught as AlipayError;
}

/** A ReadableStream of the given chunks (strings are UTF-8 encoded). */
export function streamOf(...chunks: Array<Uint8Array | string>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const list = chunks.map((c) => (typeof c === 'string' ? enc.encode(c) : c));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = list.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

/** A stream that delivers `bytes` in pieces of `size` bytes (to split lines and characters). */
export function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return streamOf(...parts);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Sign with the chloerei test private key through WebCrypto (round trips only, never expected values). */
export async function webCryptoSign(
  privatePkcs8Base64: string,
  message: string,
  signType: 'RSA' | 'RSA2',
): Promise<string> {
  const der = Uint8Array.from(atob(privatePkcs8Base64), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey(
    'pkcs8',
    der,
    { name: 'RSASSA-PKCS1-v1_5', hash: signType === 'RSA2' ? 'SHA-256' : 'SHA-1' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(message)));
  let bin = '';
  for (const b of sig) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Values thrown at every builder and parser (noble-hashes style). */
export function hostileValues(): unknown[] {
  const proto = JSON.parse('{"__proto__": {"polluted": "yes"}, "sign": "x"}');
  return [
    undefined,
    null,
    0,
    -1,
    Number.NaN,
    Infinity,
    1.5,
    true,
    '',
    'x',
    '\u0000',
    '\ud800',
    '\udfff',
    'a'.repeat(2_000_000),
    [],
    ['a', 'b'],
    [['sign', 'x']],
    {},
    { a: {} },
    { a: [] },
    { a: 1n },
    { a: Symbol('s') },
    { a: () => 1 },
    proto,
    Object.create(null),
    Object.assign(Object.create(null), JSON.parse('{"__proto__": "x", "sign": "y"}')),
    new Uint8Array(4),
    new Date(0),
    Symbol('x'),
    () => 1,
  ];
}
