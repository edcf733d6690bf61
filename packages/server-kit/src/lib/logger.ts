/**
 * The logging interface server-kit writes to: one line per event, structured fields, never a
 * key, a `sign` or a signed URL (style.md §7). `console` satisfies it.
 */
export interface Logger {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** One line on stderr: `alipay-kit warn <message> {fields}`. Fields never carry keys or signatures (the callers' rule). */
function line(level: 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
  let extra = '';
  try {
    extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  } catch {
    extra = ' {"fields":"unserializable"}';
  }
  process.stderr.write(`alipay-kit ${level} ${message}${extra}\n`);
}

/**
 * The default logger: warnings and errors on stderr, one line each, so that a mis-mounted body
 * parser or a rejected notification is never silent. Pass `logger` (console, pino…) to route them.
 */
export const _stderrLogger: Logger = { warn: (m, f) => line('warn', m, f), error: (m, f) => line('error', m, f) };
