/**
 * Choose the ledger from one configuration string (`ALIPAY_LEDGER_URL`): PostgreSQL for
 * `postgres://` / `postgresql://`, SQLite for a `sqlite:` URL, a `file:` URL or a plain path.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { createPostgresLedger } from './postgres.js';
import { createSqliteLedger } from './sqlite.js';
import type { Ledger } from './types.js';

/** Options of {@link createLedgerFromUrl}, passed to the chosen implementation. */
export interface LedgerFromUrlOptions {
  /** Clock for timestamps and hook claims. */
  now?: () => Date;
  /** PostgreSQL only: schema of the ledger tables (default `alipay_kit`, or `?schema=` in the URL). */
  schema?: string;
  /** PostgreSQL only: pool size (default 10). */
  max?: number;
}

/**
 * Open the ledger a URL names.
 *
 * - `postgres://user:pw@host:5432/db` or `postgresql://…` → {@link createPostgresLedger}
 *   (an optional `?schema=name` picks the schema and is not passed to the server);
 * - `sqlite:/abs/path.db`, `sqlite:///abs/path.db`, `sqlite:relative.db`, `sqlite::memory:`,
 *   `file:///abs/path.db`, or a plain path → {@link createSqliteLedger}.
 *
 * Anything else is a `TypeError` (a typo must not silently fall back to a local file).
 *
 * @example
 * ```ts
 * const ledger = createLedgerFromUrl(process.env.ALIPAY_LEDGER_URL ?? './data/ledger.sqlite')
 * ```
 */
export function createLedgerFromUrl(url: string, options: LedgerFromUrlOptions = {}): Ledger {
  if (typeof url !== 'string' || url.trim() === '')
    throw new TypeError('createLedgerFromUrl: url must be a non-empty string');
  const now = options.now ? { now: options.now } : {};
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let connectionString = url;
    let schema = options.schema;
    const u = new URL(url);
    const fromUrl = u.searchParams.get('schema');
    if (fromUrl !== null) {
      u.searchParams.delete('schema');
      connectionString = u.toString();
      schema ??= fromUrl;
    }
    return createPostgresLedger({
      connectionString,
      ...(schema !== undefined ? { schema } : {}),
      ...(options.max !== undefined ? { max: options.max } : {}),
      ...now,
    });
  }
  if (/^sqlite:/i.test(url)) {
    // Same reading as the demo's: strip `sqlite:` and an optional `//` (so `sqlite:///abs` is `/abs`).
    const file = url.replace(/^sqlite:(\/\/)?/i, '');
    if (file === '') throw new TypeError('createLedgerFromUrl: sqlite: URL without a file');
    return createSqliteLedger({ file, ...now });
  }
  if (/^file:/i.test(url)) return createSqliteLedger({ file: fileURLToPath(url), ...now });
  // A scheme other than a Windows drive letter (`C:\…`) is a configuration mistake.
  if (/^[a-z][a-z0-9+.-]+:/i.test(url))
    throw new TypeError(
      `createLedgerFromUrl: unsupported ledger URL scheme ${JSON.stringify(url.slice(0, url.indexOf(':') + 1))} (use postgres://, sqlite: or a file path)`,
    );
  return createSqliteLedger({ file: url, ...now });
}
