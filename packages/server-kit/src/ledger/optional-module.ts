/**
 * Loading a ledger's database driver only when that ledger is created: `better-sqlite3` and `pg`
 * are optional peer dependencies, so a merchant on PostgreSQL never installs (or compiles)
 * better-sqlite3, and one on SQLite never installs pg.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { AlipayLedgerError } from '@alipay-kit/core';

const require = createRequire(import.meta.url);

/**
 * `require(name)`, or `ERR_CONFIG` naming the package to install and the function that needs it.
 *
 * @example
 * ```ts
 * const Database = _loadDriver<typeof import('better-sqlite3')>('better-sqlite3@12', 'createSqliteLedger')
 * ```
 */
export function _loadDriver<T>(spec: string, neededBy: string): T {
  const name = spec.replace(/@[^@/]*$/, '');
  try {
    return require(name) as T;
  } catch (e) {
    if ((e as { code?: unknown })?.code !== 'MODULE_NOT_FOUND') throw e;
    throw new AlipayLedgerError('ERR_CONFIG', `${neededBy} needs the package ${name}: npm install ${spec}`);
  }
}
