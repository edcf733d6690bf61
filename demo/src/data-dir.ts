/**
 * The data folder holds the ledger, the sandbox state, private keys, the admin password and the
 * token secret: only the shop's own user may read it. The folder is made (or changed to) 0700
 * and every file in it 0600 — SQLite creates its `-wal` / `-shm` files with the mode of the
 * database file, so they follow.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Create `dir` with mode 0700, or set an existing one to 0700.
 *
 * @example
 * ```ts
 * ensurePrivateDataDir('/var/lib/shop/.data')
 * ```
 */
export function ensurePrivateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Set every regular file directly in `dir` to 0600 (the ledger and sandbox SQLite files, keys,
 * secrets). Subfolders are left alone.
 *
 * @example
 * ```ts
 * lockDownDataFiles(dataDir) // after the SQLite files were opened
 * ```
 */
export function lockDownDataFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const st = statSync(file, { throwIfNoEntry: false });
    if (st?.isFile() && (st.mode & 0o777) !== 0o600) chmodSync(file, 0o600);
  }
}
