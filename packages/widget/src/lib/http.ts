/** An error the element turns into the `error` state; `code` goes out in `alipay-checkout:error`. */
export interface CodedError extends Error {
  code: string;
}

/** @internal */
export const codedError = (code: string): CodedError => Object.assign(new Error(code), { code });

/**
 * `fetch` a JSON endpoint of the router: POST `body` as JSON when given, else GET (with the
 * order token as a bearer credential when given). Resolves with the parsed body of a 2xx;
 * rejects with a {@link CodedError}: the router's `error.code` verbatim, else `HTTP_<status>`,
 * `NETWORK_ERROR`, `TIMEOUT` (20 s), `ABORTED` (`signal`: the element left the page) or
 * `BAD_RESPONSE` (a 2xx that is not a JSON object).
 * @internal
 */
export async function requestJson<T>(
  url: string,
  body: unknown,
  token: string | undefined,
  signal: AbortSignal,
): Promise<T> {
  let res: Response;
  let data: unknown;
  try {
    res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : token ? { authorization: `Bearer ${token}` } : {},
      body: body ? JSON.stringify(body) : null,
      cache: 'no-store',
      // AbortSignal.any is recent (2024): without it there is no timeout of our own, only the
      // browser's.
      signal: AbortSignal.any?.([signal, AbortSignal.timeout(20_000)]) ?? signal,
    });
    data = await res.json().catch(() => null);
  } catch (e) {
    throw codedError(signal.aborted ? 'ABORTED' : (e as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK_ERROR');
  }
  if (!res.ok) {
    const code = (data as { error?: { code?: unknown } } | null)?.error?.code;
    throw codedError(typeof code === 'string' && code ? code : `HTTP_${res.status}`);
  }
  if (!data || typeof data !== 'object') throw codedError('BAD_RESPONSE');
  return data as T;
}
