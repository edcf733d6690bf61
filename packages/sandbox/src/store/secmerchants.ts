/**
 * Secondary merchants (§11).
 *
 * @module
 */
import { prepared, type Db } from './db.js';
import type { SecmerchantStatus } from '../types.js';

/** A stored secondary merchant. */
export interface SecmerchantRow {
  partner: string;
  id: string;
  name: string;
  fields: string;
  status: SecmerchantStatus;
  reject_reason: string | null;
  created_at: number;
  updated_at: number;
}

/** Secondary-merchant queries. */
export function secmerchantStore(db: Db) {
  return {
    get: (partner: string, id: string) =>
      prepared(db, 'SELECT * FROM secmerchants WHERE partner = ? AND id = ?').get(partner, id) as
        SecmerchantRow | undefined,
    all: (partner?: string) =>
      (partner === undefined
        ? prepared(db, 'SELECT * FROM secmerchants ORDER BY created_at, rowid').all()
        : prepared(db, 'SELECT * FROM secmerchants WHERE partner = ? ORDER BY created_at, rowid').all(
            partner,
          )) as SecmerchantRow[],
    /** Register or update: an update goes back to review (`PENDING`; a guess, §11.2). */
    upsert(partner: string, id: string, name: string, fields: string, at: number): void {
      prepared(
        db,
        `INSERT INTO secmerchants (partner,id,name,fields,status,reject_reason,created_at,updated_at) VALUES (?,?,?,?,'PENDING',NULL,?,?)
         ON CONFLICT(partner,id) DO UPDATE SET name=excluded.name, fields=excluded.fields, status='PENDING', reject_reason=NULL, updated_at=excluded.updated_at`,
      ).run(partner, id, name, fields, at, at);
    },
    setStatus(partner: string, id: string, status: SecmerchantStatus, reason: string | null, at: number): number {
      return prepared(
        db,
        'UPDATE secmerchants SET status = ?, reject_reason = ?, updated_at = ? WHERE partner = ? AND id = ?',
      ).run(status, reason, at, partner, id).changes;
    },
  };
}

/** The secondary-merchant store's type. */
export type SecmerchantStore = ReturnType<typeof secmerchantStore>;
