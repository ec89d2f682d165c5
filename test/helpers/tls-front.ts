// Puts TLS (optionally mutual TLS) in front of one of the plain-http fake servers, on loopback:
// the fake keeps playing the API or collector, this plays its HTTPS listener.
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface TlsHandshake {
  readonly servername: string | undefined;
  /** Subject CN of the client certificate the server verified, if one was required and given. */
  readonly clientCommonName: string | undefined;
}

export interface TlsFront {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly handshakes: TlsHandshake[];
  /** Handshakes the server refused (e.g. no client certificate), by error code. */
  readonly refusals: string[];
  close(): Promise<void>;
}

export async function startTlsFront(opts: { target: string; cert: string; key: string; requireClientCertFrom?: string }): Promise<TlsFront> {
  const targetPort = Number(new URL(opts.target).port);
  const handshakes: TlsHandshake[] = [];
  const refusals: string[] = [];
  const sockets = new Set<Socket>();
  const mutual = opts.requireClientCertFrom !== undefined;
  const server = createServer(
    { cert: opts.cert, key: opts.key, ...(mutual ? { requestCert: true, rejectUnauthorized: true, ca: [opts.requireClientCertFrom!] } : {}) },
    (socket: TLSSocket) => {
      const peer = mutual ? socket.getPeerCertificate() : undefined;
      handshakes.push({ servername: (socket as TLSSocket & { servername?: string | false }).servername || undefined, clientCommonName: peer?.subject?.CN });
      const upstream = connect(targetPort, '127.0.0.1');
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      socket.pipe(upstream).pipe(socket);
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
    },
  );
  server.on('tlsClientError', (err: NodeJS.ErrnoException) => refusals.push(err.code ?? err.message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    handshakes,
    refusals,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
