// Small pieces shared by the fake servers in this folder.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HeaderRecord = Record<string, string | string[] | undefined>;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Listens on an ephemeral loopback port and returns the base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Delays that close() can cut short, so a scripted hang never keeps the
 * test worker alive after the server is gone.
 */
export class CancellableDelays {
  private readonly pending = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  cancelAll(): void {
    for (const done of [...this.pending]) done();
  }
}

/** Stops accepting, drops keep-alive and in-flight sockets, and waits for the server to close. */
export async function closeServer(server: Server, delays: CancellableDelays): Promise<void> {
  delays.cancelAll();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
