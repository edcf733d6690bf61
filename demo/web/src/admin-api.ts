/** The admin page's fetch helper (the demo's admin API and the kit's router, one session) and its error box. */
import { h } from './dom.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * `path` under `/admin/api`, or a `/api/…` path (the kit's router: its admin routes check the same
 * session). A body makes it a POST-like call with the CSRF header. 401 goes to the login page.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path.startsWith('/api/') ? path : `/admin/api${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(init.body !== undefined ? { 'content-type': 'application/json', 'x-admin-request': '1' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    location.href = `/admin/login?next=${encodeURIComponent(location.pathname + location.hash)}`;
    throw new ApiError('Logged out', 'ERR_UNAUTHORIZED', 401);
  }
  const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } } & T;
  if (!res.ok || data.error)
    throw new ApiError(data.error?.message ?? `HTTP ${res.status}`, data.error?.code ?? 'ERR_HTTP', res.status);
  return data;
}

/** An error in place of a panel's content. */
export const errorBox = (e: unknown): HTMLElement =>
  h('div', { class: 'notice error error-box', role: 'alert' }, e instanceof Error ? e.message : String(e));
