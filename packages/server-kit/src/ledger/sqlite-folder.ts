/**
 * `createSqliteLedger` on a path whose folder does not exist yet (issue 15): the folder is
 * created, owner-only (mode 0700: the ledger holds payment records).
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AlipayLedgerError } from '@alipay-kit/core';

/**
 * Create the folder of a SQLite ledger file when missing (mode 0700, parents too). `':memory:'`
 * and `file:` URIs are left alone. A folder that cannot be made is `ERR_CONFIG` naming the path.
 *
 * @example
 * ```ts
 * _ensureSqliteFolder('/var/lib/shop/alipay/ledger.db') // creates /var/lib/shop/alipay (0700) if absent
 * ```
 */
export function _ensureSqliteFolder(file: string): void {
  if (file === ':memory:' || file.startsWith('file:')) return;
  const folder = dirname(resolve(file));
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
    throw new AlipayLedgerError('ERR_CONFIG', `createSqliteLedger: cannot create the folder ${folder} (${code})`, {
      cause: e,
    });
  }
}
