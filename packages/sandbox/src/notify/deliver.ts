/**
 * One HTTP send of a notification: a form POST (§3.9, §4) with a timeout (10 s default, §4
 * decision). Acknowledged only by HTTP 200 with the body exactly `success` (or, in §4's optional
 * lenient mode, `success` trimmed and in any case).
 *
 * @module
 */

/** What one POST produced. */
export interface SendOutcome {
  status: number | null;
  body: string | null;
  error: string | null;
  acknowledged: boolean;
}

const MAX_BODY = 2000;

/**
 * Whether a merchant's answer acknowledges a notification (§4): HTTP 200 and exactly `success`;
 * in the optional lenient mode, `success` after trimming, in any case.
 */
export function isAcknowledgement(status: number, body: string, lenient: boolean): boolean {
  if (status !== 200) return false;
  return lenient ? body.trim().toLowerCase() === 'success' : body === 'success';
}

/** POST `body` to `url` and classify the answer (`lenient`: §4's optional mode). Never throws. */
export async function postNotification(
  doFetch: typeof fetch,
  url: string,
  body: string,
  charset: string,
  timeoutMs: number,
  lenient = false,
): Promise<SendOutcome> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': `application/x-www-form-urlencoded; charset=${charset === 'gbk' ? 'GBK' : 'UTF-8'}` },
      body,
      redirect: 'manual',
      signal: ac.signal,
    });
    const text = await res.text();
    // §4 decision: exactly `success`, HTTP 200; no trimming, no case folding unless lenient.
    return {
      status: res.status,
      body: text.slice(0, MAX_BODY),
      error: null,
      acknowledged: isAcknowledgement(res.status, text, lenient),
    };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const error = ac.signal.aborted
      ? `timeout after ${timeoutMs} ms`
      : (e.cause?.code ?? e.cause?.message ?? e.message ?? String(err));
    return { status: null, body: null, error, acknowledged: false };
  } finally {
    clearTimeout(timer);
  }
}
