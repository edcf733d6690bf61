/**
 * `@alipay-kit/server-kit/sqlite`: the embedded SQLite ledger alone. Needs the optional peer
 * dependency `better-sqlite3` (`npm install better-sqlite3@12`).
 *
 * @example
 * ```ts
 * import { createSqliteLedger } from '@alipay-kit/server-kit/sqlite'
 * const ledger = createSqliteLedger({ file: './data/alipay.sqlite' })
 * ```
 *
 * @packageDocumentation
 */
export { createSqliteLedger, type SqliteLedgerOptions } from './ledger/sqlite.js';
