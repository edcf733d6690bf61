// HTML attribute escaping for the auto-submit form (protocol §1.2a decision: & < > " ').
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape a value for a double-quoted HTML attribute. */
export function _escapeAttr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => MAP[c]!);
}
