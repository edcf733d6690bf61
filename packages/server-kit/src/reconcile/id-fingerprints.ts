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
 * A set of {@link _Fingerprint}s, written for how reconciliation uses it: every id is added while
 * the file streams, and the set is read only at the end. `add` appends the pair to a typed array
 * (no probing, no rehash); the first read sorts the pairs as 64-bit integers and drops repeats,
 * and `has` is then a binary search. At a million ids this took the set's share of a
 * reconciliation from 0.33 s (an open-addressing table: probing, and rehashing at each doubling)
 * to about 0.1 s, in 8 MB instead of 16. Adding after a read is allowed (the next read sorts again).
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
  /** The pairs as 32-bit halves, `[2k]` and `[2k + 1]` the two halves of fingerprint k. */
  #halves = new Int32Array(2048);
  #count = 0;
  /** `#count` pairs, sorted and distinct: true from a read until the next `add`. */
  #sorted = true;
  /** A scratch 64-bit slot and its halves: the probe of `has`. */
  readonly #probe = new BigInt64Array(1);
  readonly #probeHalves = new Int32Array(this.#probe.buffer);

  constructor(fingerprint: _FingerprintFn = _fingerprinter((Math.random() * 2 ** 32) | 0)) {
    this.#fingerprint = fingerprint;
  }

  /** Distinct fingerprints held: at most the number of distinct ids added. */
  get size(): number {
    this.#sort();
    return this.#count;
  }

  /** The fingerprint of `id` under this set's function. */
  fingerprint(id: string): _Fingerprint {
    return this.#fingerprint(id);
  }

  /** Add `id`'s fingerprint. */
  add(id: string): void {
    const [hi, lo] = this.#fingerprint(id);
    let halves = this.#halves;
    const at = this.#count * 2;
    if (at === halves.length) {
      halves = new Int32Array(halves.length * 2);
      halves.set(this.#halves);
      this.#halves = halves;
    }
    halves[at] = hi;
    halves[at + 1] = lo;
    this.#count++;
    this.#sorted = false;
  }

  /** False when `id` was certainly never added; true when it (or an id with its fingerprint) was. */
  has(id: string): boolean {
    const sorted = this.#sort();
    const [hi, lo] = this.#fingerprint(id);
    this.#probeHalves[0] = hi;
    this.#probeHalves[1] = lo;
    const key = this.#probe[0]!;
    let low = 0;
    let high = this.#count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const v = sorted[mid]!;
      if (v === key) return true;
      if (v < key) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }

  /** Sort the pairs as 64-bit integers (each pair's two halves are one slot) and keep one of each. */
  #sort(): BigInt64Array {
    const all = new BigInt64Array(this.#halves.buffer, 0, this.#count);
    if (this.#sorted) return all;
    all.sort();
    let kept = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[kept - 1]) all[kept++] = all[i]!;
    this.#count = kept;
    this.#sorted = true;
    return all.subarray(0, kept);
  }
}
