// Char-code scanners for the plain decimal amounts and currency codes of the wire (§3.5):
// shared by money.ts and the record-file parsers, where a regex + split + Number per field was
// the hot spot of bench P4. They read `text` in place between `from` and `end`, so the file
// parsers can pass the decoded block without slicing a field out first. Internal.

/**
 * `text.slice(from, end)` read as `(0|[1-9][0-9]*)(\.[0-9]{1,2})?`, in hundredths
 * (`'12.5'` → 1250). Returns -1 when it does not match, -2 when it matches but the whole part
 * has more than 9 digits (out of any range Alipay uses, and beyond exact hundredths).
 */
export function scanHundredths(text: string, from: number, end: number = text.length): number {
  if (from >= end) return -1;
  let i = from;
  let c = text.charCodeAt(i) - 48;
  if (!(c >= 0 && c <= 9)) return -1;
  let whole = c;
  i++;
  if (c !== 0) {
    for (; i < end; i++) {
      c = text.charCodeAt(i) - 48;
      if (!(c >= 0 && c <= 9)) break;
      whole = whole * 10 + c;
    }
  }
  const digits = i - from;
  let frac = 0;
  if (i < end) {
    // '.' then one or two digits, then the end
    if (text.charCodeAt(i) !== 46 || i + 1 >= end || i + 3 < end) return -1;
    const a = text.charCodeAt(i + 1) - 48;
    if (!(a >= 0 && a <= 9)) return -1;
    frac = a * 10;
    if (i + 2 < end) {
      const b = text.charCodeAt(i + 2) - 48;
      if (!(b >= 0 && b <= 9)) return -1;
      frac += b;
    }
  }
  if (digits > 9) return -2;
  return whole * 100 + frac;
}

/** `/^[A-Z]{3}$/.test(text.slice(from, end))`. */
export function isCurrencyCode(text: string, from = 0, end: number = text.length): boolean {
  if (end - from !== 3) return false;
  const a = text.charCodeAt(from);
  const b = text.charCodeAt(from + 1);
  const c = text.charCodeAt(from + 2);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90 && c >= 65 && c <= 90;
}
