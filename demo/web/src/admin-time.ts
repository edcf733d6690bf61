/** Times in admin tables: the one format ({@link beijingTime}), breakable only between date and time. */
import { h } from './dom.js';
import { beijingTime } from './format.js';

/**
 * `2026-12-03 14:05 UTC+8` as two unbreakable parts (`.d` date, `.t` time and zone) joined by a
 * space, so a narrow column wraps it in two lines, not at the hyphens. Its text is
 * {@link beijingTime}'s.
 *
 * @example h('td', { class: 'when' }, timeParts(order.created_at))
 */
export function timeParts(at: string | number | Date | undefined | null): (HTMLElement | string)[] {
  const text = beijingTime(at);
  const space = text.indexOf(' ');
  if (!/^\d{4}-\d{2}-\d{2} /.test(text)) return [text];
  return [h('span', { class: 'd' }, text.slice(0, space)), ' ', h('span', { class: 't' }, text.slice(space + 1))];
}
