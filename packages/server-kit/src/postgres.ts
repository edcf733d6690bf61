/**
 * `@alipay-kit/server-kit/postgres`: the PostgreSQL ledger for several instances. Needs the
 * optional peer dependency `pg` (`npm install pg@8`).
 *
 * @example
 * ```ts
 * import { createPostgresLedger } from '@alipay-kit/server-kit/postgres'
 * const ledger = createPostgresLedger({ connectionString: process.env.DATABASE_URL })
 * await ledger.ready()
 * ```
 *
 * @packageDocumentation
 */
export {
  createPostgresLedger,
  type PostgresLedger,
  type PostgresLedgerOptions,
  type PgPoolLike,
  type PgClientLike,
} from './ledger/postgres.js';
