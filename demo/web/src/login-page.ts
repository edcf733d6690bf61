import '../styles/admin.css';
import { LOGO } from './art.js';
import { svg } from './dom.js';

for (const el of document.querySelectorAll('[data-logo]')) el.replaceChildren(svg(LOGO));
const params = new URLSearchParams(location.search);
const next = params.get('next');
const nextInput = document.querySelector<HTMLInputElement>('#next');
// Same-origin admin paths only; the server checks again.
if (nextInput && next && next.startsWith('/admin') && !next.startsWith('//')) nextInput.value = next;
if (params.has('error')) {
  const err = document.querySelector<HTMLElement>('#login-error');
  if (err) {
    err.hidden = false;
    if (params.get('error') === 'throttled') err.textContent = 'Too many attempts. Wait a few minutes and try again.';
  }
}
void fetch('/api/info')
  .then((r) => r.json() as Promise<{ mode?: string; generatedAdminPassword?: boolean }>)
  .then((info) => {
    const hint = document.querySelector<HTMLElement>('#login-hint');
    if (hint && info.generatedAdminPassword) hint.hidden = false;
  })
  .catch(() => undefined);
