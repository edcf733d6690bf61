/**
 * The logging interface server-kit writes to: one line per event, structured fields, never a
 * key, a `sign` or a signed URL (style.md §7). `console` satisfies it.
 */
export interface Logger {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything. */
export const _silentLogger: Logger = { warn() {} };
