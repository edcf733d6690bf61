// Start a bench helper in its own Node process (so load generation and the server under test
// never share an event loop) and wait for its `{ ready }` IPC message.
import { fork } from 'node:child_process';

/**
 * Fork `script` with `env`; resolve with `{ child, info, request, stop }` once it sends
 * `{ type: 'ready', ... }`. `request(msg)` sends `{ type, ... }` and resolves with the reply of the
 * same type. `stop()` kills this child only (by its own handle, never by name).
 */
export function startChild(script, { env = {}, execArgv = [], timeoutMs = 120_000 } = {}) {
  const child = fork(script, [], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters = new Map();
  child.on('message', (m) => {
    const w = waiters.get(m?.type);
    if (w) {
      waiters.delete(m.type);
      w.resolve(m);
    }
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const next = (type) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`${script}: no '${type}' message within ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiters.set(type, { resolve: (m) => (clearTimeout(t), resolve(m)) });
      exited.then(({ code, signal }) => {
        if (waiters.get(type)) reject(new Error(`${script} exited (${code ?? signal}) before '${type}'`));
      });
    });
  const ready = next('ready');
  return ready.then((info) => ({
    child,
    info,
    exited,
    request(msg) {
      const p = next(msg.type);
      child.send(msg);
      return p;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  }));
}
