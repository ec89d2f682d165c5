// Minimal request/response over a forked child's IPC channel, so the fake servers run in
// processes of their own (their CPU is never counted as the receiver's).
import { fork } from 'node:child_process';

/** In the child: answer `{ id, cmd, args }` messages with the handler's result. */
export function serveIpc(handlers) {
  process.on('message', async (msg) => {
    try {
      const handler = handlers[msg.cmd];
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      process.send({ id: msg.id, ok: true, result: await handler(msg.args ?? {}) });
    } catch (err) {
      process.send({ id: msg.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  // The parent went away: nothing left to serve.
  process.on('disconnect', () => process.exit(0));
}

/** In the parent: fork `script`, wait for its `{ ready }` message, and return an RPC handle. */
export async function forkServer(script, { execArgv = [] } = {}) {
  const child = fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  const ready = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)));
    child.on('message', (msg) => {
      if (msg && msg.ready) return resolve(msg);
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
  });
  const info = await ready;
  return {
    ...info,
    pid: child.pid,
    call(cmd, args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
      });
    },
  };
}
