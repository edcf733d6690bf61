/**
 * The "rejected notifications" line on the orders tab: calls to the notify URL that failed
 * verification (forged, corrupted, not confirmed by Alipay). The kit stores nothing of them but a
 * counter and a short ring of (code, time, sender), which this shows.
 */
import type { AdminRejections } from '../../src/admin-types.js';
import { api } from './admin-api.js';
import { rejectionWords } from './admin-words.js';
import { h } from './dom.js';
import { timeParts } from './admin-time.js';
import { beijingTime } from './format.js';

export async function loadRejections(box: HTMLElement): Promise<void> {
  let r: AdminRejections;
  try {
    r = await api<AdminRejections>('/rejections');
  } catch {
    box.hidden = true; // a side panel: the orders still work without it
    return;
  }
  const wasOpen = box.querySelector('details')?.open === true; // a refresh keeps the list open
  box.hidden = false;
  box.classList.toggle('has-rejections', r.total > 0);
  box.dataset.total = String(r.total);
  const what = 'Calls to the notify URL that failed verification; they touched no order.';
  if (r.total === 0) {
    box.replaceChildren(
      h(
        'p',
        { class: 'rej-line' },
        h('strong', {}, 'Rejected notifications: none.'),
        ' ',
        h('span', { class: 'muted' }, what),
      ),
    );
    return;
  }
  const last = r.recent[0];
  box.replaceChildren(
    h(
      'details',
      { open: wasOpen },
      h(
        'summary',
        { class: 'rej-line' },
        h('strong', {}, `Rejected notifications: ${r.total}`),
        last ? h('span', { class: 'muted' }, `· last ${beijingTime(last.at)}: ${rejectionWords(last.code)}`) : null,
        h('span', { class: 'rej-more' }, `Show the last ${r.recent.length}`),
      ),
      h('p', { class: 'muted small' }, `${what} Only the code, the time and the sender’s address are kept.`),
      h(
        'table',
        { class: 'data', id: 'rejections-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Why'), h('th', {}, 'From'))),
        h(
          'tbody',
          {},
          r.recent.map((x) =>
            h(
              'tr',
              { 'data-code': x.code },
              h('td', { class: 'when' }, timeParts(x.at)),
              h('td', {}, rejectionWords(x.code), h('span', { class: 'sub mono' }, x.code)),
              h('td', { class: 'mono' }, x.source?.replace(/^::ffff:/, '') ?? '—'),
            ),
          ),
        ),
      ),
    ),
  );
}
