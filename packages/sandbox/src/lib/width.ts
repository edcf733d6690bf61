/**
 * The gateway's `String(n)` length rule (§3.2: "String(256) … at most 128 Chinese
 * characters"): an ASCII character counts 1, any other character 2. Core applies the same rule
 * to what the client sends (`packages/core/src/lib/validate.ts` `width`, internal to core), so
 * the sandbox keeps this one-line copy rather than reaching into core's internals.
 *
 * @module
 */

/**
 * Width of `text` as `String(n)` limits count it.
 *
 * @example
 * ```ts
 * gatewayWidth('Parcel fee') // 10
 * gatewayWidth('测试商品')    // 8
 * ```
 */
export function gatewayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return w;
}

/** True when `value` is absent or fits `String(max)`. */
export function fitsWidth(value: string | undefined, max: number): boolean {
  return value === undefined || gatewayWidth(value) <= max;
}
