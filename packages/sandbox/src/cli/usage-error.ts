/**
 * The one error the CLI turns into a single sentence and exit code 2: a flag or command the
 * user can fix (unknown flag, `--port abc`, a busy port), as opposed to a bug (a stack trace).
 *
 * @module
 */

/**
 * A mistake in how `alipay-sandbox` was invoked, or a port it cannot listen on; `message` is
 * one sentence for the terminal, `exitCode` the process exit code (2 for flags, 1 for listen).
 *
 * @example
 * ```ts
 * throw new CliUsageError('--port must be a whole number from 0 to 65535, not "abc"')
 * ```
 */
export class CliUsageError extends Error {
  /** Always `ERR_CLI_USAGE`. */
  readonly code = 'ERR_CLI_USAGE';
  /** The process exit code: 2 for a bad flag or command, 1 when the port cannot be listened on. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliUsageError';
    this.exitCode = exitCode;
  }
}

/**
 * Turn what `node:util` parseArgs throws (`ERR_PARSE_ARGS_*`) into a {@link CliUsageError}
 * with its first sentence; anything else is returned unchanged.
 *
 * @example
 * ```ts
 * try { parseArgs(config) } catch (e) { throw fromParseArgsError(e) }
 * ```
 */
export function fromParseArgsError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return e;
  const first = String((e as Error).message)
    .split('. ')[0]!
    .replace(/\.$/, '');
  return new CliUsageError(first);
}

/**
 * Parse `--port`: a whole number from 0 to 65535 (0 picks a free port).
 *
 * @example
 * ```ts
 * parsePort('4010') // 4010
 * parsePort('abc')  // throws CliUsageError
 * ```
 */
export function parsePort(raw: string): number {
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliUsageError(
      `--port must be a whole number from 0 to 65535 (0 picks a free port), not ${JSON.stringify(raw)}`,
    );
  return n;
}

/**
 * The sentence for a failed `listen` (busy port, no permission, unknown host), naming the port.
 *
 * @example
 * ```ts
 * listenErrorMessage(Object.assign(new Error('x'), { code: 'EADDRINUSE' }), '127.0.0.1', 4010)
 * // 'port 4010 on 127.0.0.1 is already in use: stop what holds it, or pick another with --port (0 picks a free one)'
 * ```
 */
export function listenErrorMessage(e: NodeJS.ErrnoException, host: string, port: number): string {
  if (e.code === 'EADDRINUSE')
    return `port ${port} on ${host} is already in use: stop what holds it, or pick another with --port (0 picks a free one)`;
  if (e.code === 'EACCES')
    return `no permission to listen on port ${port} on ${host}: use a port above 1023, or --port 0 for a free one`;
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
    return `cannot listen on ${host} (port ${port}): --host must be an address of this machine, such as 127.0.0.1`;
  return `cannot listen on ${host} port ${port} (${e.code ?? e.message})`;
}
