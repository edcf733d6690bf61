/**
 * A set of 64-bit fingerprints of ids, in typed arrays: what reconciliation remembers of the
 * paid orders the compare file named. Keeping the id strings themselves (a `Set<string>`) kept a
 * million young strings alive and was a quarter of a million-row run's time; a fingerprint
 * costs two array slots and no garbage.
 *
 * A fingerprint set can only err one way: two ids with the same fingerprint count once. The
 * engine's use is built on that (see `stream.ts`): a `size` equal to the ledger's count proves
 * every order was seen, `has() === false` proves an id was not, and only a collision between two
 * of the ledger's own ids leaves a question, which it answers exactly by reading the file again.
 *
 * @module
 */

/** A 64-bit fingerprint as two 32-bit halves. */
export type _Fingerprint = readonly [hi: number, lo: number];

/** How an id becomes a fingerprint (tests pass a narrow one to force collisions). */
export type _FingerprintFn = (id: string) => _Fingerprint;

const fmix32 = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
};

/**
 * A seeded 64-bit fingerprint of a string (two independent 32-bit multiplicative hashes over its
 * UTF-16 code units, each finished with MurmurHash3's `fmix32`). Not cryptographic: collisions only
 * cost the engine a second read of the file, never a wrong answer.
 *
 * @example
 * ```ts
 * const fp = _fingerprinter(0x9e3779b9)
 * fp('ORD-1') // [974326773, -1365133114]
 * ```
 */
export function _fingerprinter(seed: number): _FingerprintFn {
  const s1 = seed | 0;
  const s2 = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) | 0;
  return (id) => {
    let a = s1 ^ id.length;
    let b = s2;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    return [fmix32(a), fmix32(b ^ id.length)];
  };
}

/**
 * An open-addressing set of {@link _Fingerprint}s (linear probing, load ≤ ½, doubling). The pair
 * `[0, 0]` marks an empty slot, so a fingerprint equal to it is stored as `[0, 1]`.
 *
 * @example
 * ```ts
 * const seen = new _FingerprintSet()
 * seen.add('ORD-1'); seen.add('ORD-1')
 * seen.size        // 1
 * seen.has('ORD-2') // false: certainly not added
 * ```
 */
export class _FingerprintSet {
  readonly #fingerprint: _FingerprintFn;
  #hi = new Int32Array(1024);
  #lo = new Int32Array(1024);
  #size = 0;

  constructor(fingerprint: _FingerprintFn = _fingerprinter((Math.random() * 2 ** 32) | 0)) {
    this.#fingerprint = fingerprint;
  }

  /** Distinct fingerprints held: at most the number of distinct ids added. */
  get size(): number {
    return this.#size;
  }

  /** The fingerprint of `id` under this set's function. */
  fingerprint(id: string): _Fingerprint {
    const [hi, lo] = this.#fingerprint(id);
    return hi === 0 && lo === 0 ? [0, 1] : [hi, lo];
  }

  /** Add `id`'s fingerprint. */
  add(id: string): void {
    const [hi, lo] = this.fingerprint(id);
    const at = this.#slot(hi, lo);
    if (at >= 0) return;
    this.#put(~at, hi, lo);
    if (++this.#size * 2 > this.#hi.length) this.#grow();
  }

  /** False when `id` was certainly never added; true when it (or an id with its fingerprint) was. */
  has(id: string): boolean {
    const [hi, lo] = this.fingerprint(id);
    return this.#slot(hi, lo) >= 0;
  }

  /** The slot holding the pair, or `~slot` of the empty slot where it would go. */
  #slot(hi: number, lo: number): number {
    const mask = this.#hi.length - 1;
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const h = this.#hi[i]!;
      const l = this.#lo[i]!;
      if (h === hi && l === lo) return i;
      if (h === 0 && l === 0) return ~i;
    }
  }

  #put(i: number, hi: number, lo: number): void {
    this.#hi[i] = hi;
    this.#lo[i] = lo;
  }

  #grow(): void {
    const hi = this.#hi;
    const lo = this.#lo;
    this.#hi = new Int32Array(hi.length * 2);
    this.#lo = new Int32Array(lo.length * 2);
    for (let i = 0; i < hi.length; i++)
      if (hi[i] !== 0 || lo[i] !== 0) this.#put(~this.#slot(hi[i]!, lo[i]!), hi[i]!, lo[i]!);
  }
}
