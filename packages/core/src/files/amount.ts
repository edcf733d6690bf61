// Char-code scanner for the plain decimal amounts of the wire (§3.5): shared by money.ts and
// the record-file parsers, where a regex + split + Number per field was the hot spot of bench
// P4. Internal.

/**
 * `text` from index `from` to its end read as `(0|[1-9][0-9]*)(\.[0-9]{1,2})?`, in hundredths
 * (`'12.5'` → 1250). Returns -1 when it does not match, -2 when it matches but the whole part
 * has more than 9 digits (out of any range Alipay uses, and beyond exact hundredths).
 */
export function scanHundredths(text: string, from: number): number {
  const n = text.length;
  let i = from;
  let c = text.charCodeAt(i) - 48; // NaN past the end
  if (!(c >= 0 && c <= 9)) return -1;
  let whole = c;
  i++;
  if (c !== 0) {
    for (; i < n; i++) {
      c = text.charCodeAt(i) - 48;
      if (!(c >= 0 && c <= 9)) break;
      whole = whole * 10 + c;
    }
  }
  const digits = i - from;
  let frac = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46 /* . */) return -1;
    const a = text.charCodeAt(i + 1) - 48;
    if (!(a >= 0 && a <= 9)) return -1;
    frac = a * 10;
    if (i + 2 < n) {
      const b = text.charCodeAt(i + 2) - 48;
      if (!(b >= 0 && b <= 9) || i + 3 < n) return -1;
      frac += b;
    }
  }
  if (digits > 9) return -2;
  return whole * 100 + frac;
}

/** `/^[A-Z]{3}$/.test(text)`. */
export function isCurrencyCode(text: string): boolean {
  if (text.length !== 3) return false;
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(1);
  const c = text.charCodeAt(2);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90 && c >= 65 && c <= 90;
}
