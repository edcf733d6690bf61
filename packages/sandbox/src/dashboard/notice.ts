/**
 * "Actions confirm what they did": a dashboard POST answers 303 to the dashboard with a notice
 * in the query (`?done=advance&by=86400000`), and the page says what happened. Only known
 * notices with checked values are shown, so a link cannot make the dashboard say anything else.
 *
 * @module
 */

/** A notice the dashboard shows above everything else. */
export interface Notice {
  kind: 'ok' | 'bad';
  text: string;
}

/** The query string of a notice (for the 303 Location). */
export function noticeQuery(done: string, params: Record<string, string | number> = {}): string {
  const q = new URLSearchParams({
    done,
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  return `?${q.toString()}`;
}

const ID = /^[^\s<>"'&]{1,64}$/u;

function duration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms} ms`;
}

function scopeWords(partner: string | undefined, service: string | undefined): string {
  return `${partner ? `partner ${partner}` : 'every partner'}, ${service ? service : 'every service'}`;
}

/** Read the notice of a dashboard URL's query, or `undefined`. */
export function noticeFromQuery(q: Record<string, unknown>): Notice | undefined {
  const s = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const id = (k: string) => (s(k) !== undefined && ID.test(s(k)!) ? s(k) : undefined);
  const n = (k: string) => (s(k) !== undefined && /^[0-9]{1,15}$/.test(s(k)!) ? Number(s(k)) : undefined);
  switch (s('done')) {
    case 'advance':
      return n('by')
        ? {
            kind: 'ok',
            text: `Gateway clock moved forward ${duration(n('by')!)}; every notification retry that fell due on the way was sent.`,
          }
        : undefined;
    case 'flush':
      return { kind: 'ok', text: 'Due and held notifications were delivered.' };
    case 'settle':
      return { kind: 'ok', text: `${n('n') ?? 0} payment and refund row(s) were settled (status L in the files).` };
    case 'faults-set':
      return { kind: 'ok', text: `Faults set for ${scopeWords(id('partner'), id('service'))}.` };
    case 'faults-cleared':
      return {
        kind: 'ok',
        text:
          s('all') === '1'
            ? 'Every fault was cleared.'
            : `Faults cleared for ${scopeWords(id('partner'), id('service'))}.`,
      };
    case 'refund-outcome': {
      const o = s('outcome');
      if (!id('id') || (o !== 'REFUND_SUCCESS' && o !== 'REFUND_FAIL')) return undefined;
      return { kind: 'ok', text: `Refund ${id('id')} will be reported as ${o}.` };
    }
    case 'secmerchant': {
      const st = s('status');
      if (!id('id') || (st !== 'SUCCESS' && st !== 'FAILED')) return undefined;
      return {
        kind: 'ok',
        text: `Secondary merchant ${id('id')} is now ${st === 'SUCCESS' ? 'approved (SUCCESS)' : 'rejected (FAILED)'}.`,
      };
    }
    case 'faults-invalid': {
      const flag = s('flag') !== undefined && /^--[a-z0-9-]{1,40}$/.test(s('flag')!) ? s('flag') : undefined;
      return {
        kind: 'bad',
        text: `Faults not set: ${flag ? `the value of ${flag}` : 'a value'} is not allowed (probabilities are 0 to 1, switches true or false, delays whole milliseconds). Nothing changed.`,
      };
    }
    case 'unchanged':
      return { kind: 'bad', text: 'Nothing changed: that record can no longer be changed.' };
    default:
      return undefined;
  }
}
