/**
 * Product illustrations as inline SVG (no image files, no external assets). Every string here is a
 * constant written in this file, so inserting it with innerHTML is safe; no attribute uses
 * `style=` so a strict CSP (style-src 'self') is happy.
 */
const frame = (bg: string, body: string) =>
  `<svg viewBox="0 0 240 180" role="img" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">` +
  `<rect width="240" height="180" fill="${bg}"/>` +
  `<ellipse cx="120" cy="158" rx="78" ry="9" fill="#000" opacity=".08"/>${body}</svg>`;

const ART: Record<string, string> = {
  tin: frame(
    '#e8efe6',
    `<rect x="78" y="40" width="84" height="116" rx="10" fill="#2f5d50"/>
     <rect x="74" y="32" width="92" height="20" rx="6" fill="#24493f"/>
     <rect x="78" y="78" width="84" height="44" fill="#f3e7c9"/>
     <path d="M120 86c-13 8-15 22-6 30 10-4 15-17 6-30z" fill="#4f8a5b"/>
     <path d="M120 90v24" stroke="#2f5d50" stroke-width="1.5"/>
     <circle cx="150" cy="140" r="4" fill="#c9a85c"/>`,
  ),
  cup: frame(
    '#eef0ea',
    `<path d="M62 70h116l-10 62a18 18 0 0 1-18 15H90a18 18 0 0 1-18-15z" fill="#9cc5b0"/>
     <path d="M62 70h116" stroke="#7fae98" stroke-width="6" stroke-linecap="round"/>
     <path d="M80 96c14 6 26-6 40 0s26 6 40 0" stroke="#7fae98" stroke-width="2" fill="none"/>
     <path d="M86 116l10-12M132 124l8-14M110 134l6-10" stroke="#86b39f" stroke-width="1.5"/>
     <path d="M104 52c-6-8 6-12 0-22M124 52c-6-8 6-12 0-22M144 52c-6-8 6-12 0-22" stroke="#b9c8c0" stroke-width="3" fill="none" stroke-linecap="round"/>`,
  ),
  kettle: frame(
    '#ece9e4',
    `<path d="M70 60c0-22 100-22 100 0" stroke="#3a3a3a" stroke-width="7" fill="none"/>
     <ellipse cx="120" cy="112" rx="62" ry="44" fill="#3b3f42"/>
     <path d="M172 100l34-22-8 18-22 18z" fill="#3b3f42"/>
     <ellipse cx="120" cy="72" rx="30" ry="8" fill="#2c2f31"/>
     <circle cx="120" cy="64" r="6" fill="#2c2f31"/>
     <g fill="#50565a"><circle cx="86" cy="100" r="4"/><circle cx="102" cy="96" r="4"/><circle cx="118" cy="94" r="4"/><circle cx="134" cy="96" r="4"/><circle cx="150" cy="100" r="4"/>
     <circle cx="80" cy="116" r="4"/><circle cx="96" cy="112" r="4"/><circle cx="112" cy="110" r="4"/><circle cx="128" cy="110" r="4"/><circle cx="144" cy="112" r="4"/><circle cx="160" cy="116" r="4"/></g>`,
  ),
  whisk: frame(
    '#f1ede0',
    `<rect x="112" y="22" width="16" height="70" rx="6" fill="#d8b76a"/>
     <path d="M104 92h32l8 52H96z" fill="#e9d49b"/>
     <g stroke="#c9a550" stroke-width="2"><path d="M108 96l-6 46M116 96l-4 48M124 96l4 48M132 96l6 46M120 96v48"/></g>
     <ellipse cx="120" cy="146" rx="28" ry="7" fill="#f7f4ec"/>
     <ellipse cx="178" cy="140" rx="26" ry="10" fill="#a9c69a"/>
     <ellipse cx="178" cy="136" rx="20" ry="6" fill="#7fae6a"/>`,
  ),
  fan: frame(
    '#f4e9e7',
    `<path d="M120 150L40 78a110 110 0 0 1 160 0z" fill="#fbf6ef"/>
     <path d="M120 150L40 78a110 110 0 0 1 160 0z" fill="none" stroke="#8b5e3c" stroke-width="3"/>
     <g stroke="#b88a62" stroke-width="1.5"><path d="M120 150L60 58M120 150L84 42M120 150V36M120 150L156 42M120 150L180 58"/></g>
     <path d="M70 92c20-4 34-18 44-34" stroke="#5b3b2a" stroke-width="3" fill="none" stroke-linecap="round"/>
     <g fill="#e07a8a"><circle cx="86" cy="82" r="6"/><circle cx="100" cy="70" r="5"/><circle cx="110" cy="60" r="4"/><circle cx="150" cy="66" r="6"/><circle cx="162" cy="80" r="4"/></g>
     <circle cx="120" cy="150" r="6" fill="#8b5e3c"/>`,
  ),
  lantern: frame(
    '#f3ebdd',
    `<path d="M120 12v18" stroke="#4a3b2a" stroke-width="3"/>
     <rect x="96" y="28" width="48" height="10" rx="3" fill="#4a3b2a"/>
     <ellipse cx="120" cy="88" rx="56" ry="52" fill="#f6d28b"/>
     <ellipse cx="120" cy="88" rx="30" ry="32" fill="#fbe7b8"/>
     <g stroke="#d8a94f" stroke-width="2" fill="none"><path d="M66 72h108M64 88h112M66 104h108M72 56h96M72 120h96"/></g>
     <rect x="96" y="138" width="48" height="10" rx="3" fill="#4a3b2a"/>`,
  ),
};

export function productArt(key: string): string {
  return ART[key] ?? frame('#eee', '');
}

/** The shop's mark: a leaf inside a lantern outline. */
export const LOGO = `<svg viewBox="0 0 32 32" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><rect x="4" y="6" width="24" height="22" rx="9" fill="#1f6f5c"/><rect x="11" y="2" width="10" height="4" rx="1.5" fill="#1f6f5c"/><path d="M16 10c-6 4-7 11-2 14 5-2 7-9 2-14z" fill="#f3e7c9"/><path d="M16 12v11" stroke="#1f6f5c" stroke-width="1.2"/></svg>`;
