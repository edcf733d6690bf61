// XML text handling without entity expansion: only the five predefined entities and numeric
// character references are decoded (§2.5 "entity decoding before the pre-sign string"); any
// other `&name;` is refused, because nothing in the gateway's XML declares entities. Internal.
import { AlipayResponseError } from '../errors.js';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]{0,32});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw malformed('a bare "&" is not allowed in XML text');
    if (Object.prototype.hasOwnProperty.call(PREDEFINED, name)) return PREDEFINED[name]!;
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (m) {
      const cp = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
      const legal =
        cp === 0x9 ||
        cp === 0xa ||
        cp === 0xd ||
        (cp >= 0x20 && cp <= 0xd7ff) ||
        (cp >= 0xe000 && cp <= 0xfffd) ||
        (cp >= 0x10000 && cp <= 0x10ffff);
      if (!legal) throw malformed('a character reference names a character XML does not allow');
      return String.fromCodePoint(cp);
    }
    throw malformed('only the five predefined XML entities are allowed (no custom entities)');
  });
}

export function malformed(why: string, cause?: unknown): AlipayResponseError {
  return new AlipayResponseError(
    'ERR_XML_MALFORMED',
    `gateway XML is malformed: ${why}`,
    cause === undefined ? {} : { cause },
  );
}
