/** One outgoing exchange as a transport sees it: the URL, and nothing of the caller's policy. */
export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** Parts are sent one after another, as one body. */
  readonly body?: string | Uint8Array | readonly Uint8Array[] | undefined;
  /** Aborts the exchange at any point, connect and body included. */
  readonly signal: AbortSignal;
}

/** The answer before its body is read: the caller reads it under its own size cap. */
export interface TransportResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: AsyncIterable<Uint8Array> & { destroy(): void };
}

export type Transport = (url: URL, req: TransportRequest) => Promise<TransportResponse>;

/** Both transports give up on a TCP + TLS connect after this long, whatever the request's timeout. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** How long an idle keep-alive connection is kept for the next request. */
export const KEEP_ALIVE_MS = 30_000;
