// Run a one-shot bench child (bench/lib/p6-child.mjs) with --expose-gc and resolve with its
// { type: 'result' } message; reject if it exits without one.
import { fork } from 'node:child_process';

export function startChildResult(script, env) {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], {
      env: { ...process.env, ...env },
      execArgv: ['--expose-gc', ...(process.env.P6_EXEC_ARGV ? process.env.P6_EXEC_ARGV.split(' ') : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result;
    child.on('message', (m) => {
      if (m?.type === 'result') result = m;
    });
    child.once('exit', (code, signal) =>
      result ? resolve(result) : reject(new Error(`${script} exited (${code ?? signal}) without a result`)),
    );
  });
}
