// The part every vendor stand-in shares: a node:http server on loopback that records each
// request, decompresses its body, and can be held down (answering 503 to everything but its
// own health questions) to play an outage.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { CancellableDelays, closeServer, listenOnLoopback, readBody, type HeaderRecord } from '../../helpers/http-server-utils.js';

export interface IntakeRequest {
  method: string;
  path: string;
  headers: HeaderRecord;
  status: number;
}

export interface Answer {
  status: number;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface IntakeServer {
  readonly url: string;
  readonly requests: IntakeRequest[];
  /** Errors the stand-in found in what it was sent (a test asserts this stays empty). */
  readonly errors: string[];
  /** While true, every request is answered 503 and nothing is kept. */
  down: boolean;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, path: string, body: Buffer) => Answer;

/** Undoes the Content-Encoding the exporters use (gzip, deflate; identity). */
export function decompress(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === undefined || encoding === '' || encoding === 'identity') return body;
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  throw new Error(`unsupported Content-Encoding ${encoding}`);
}

export async function startIntake(name: string, handler: Handler, downAnswer: Answer = { status: 503, body: 'held down by the test' }): Promise<IntakeServer> {
  const requests: IntakeRequest[] = [];
  const errors: string[] = [];
  const delays = new CancellableDelays();
  const state = { down: false };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const entry: IntakeRequest = { method: req.method ?? '', path, headers: { ...req.headers }, status: 0 };
    requests.push(entry);
    const raw = await readBody(req);
    let answer: Answer;
    if (state.down) {
      answer = downAnswer;
    } else {
      try {
        answer = handler(req, path, decompress(raw, req.headers['content-encoding']));
      } catch (err) {
        const message = `${name}: ${req.method} ${path}: ${err instanceof Error ? err.message : String(err)}`;
        errors.push(message);
        answer = { status: 400, body: message };
      }
    }
    entry.status = answer.status;
    res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' }).end(answer.body ?? '');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      errors.push(`${name}: stand-in failure: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    errors,
    get down() { return state.down; },
    set down(value: boolean) { state.down = value; },
    close: () => closeServer(server, delays),
  };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

/** Tallies deliveries by log.record.uid: how many distinct records, and how many came more than once. */
export class UidTally {
  readonly counts = new Map<string, number>();
  add(uid: unknown): void {
    const key = typeof uid === 'string' && uid !== '' ? uid : '<no log.record.uid>';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get total(): number { return [...this.counts.values()].reduce((a, b) => a + b, 0); }
  get duplicates(): number { return this.total - this.counts.size; }
  uids(): string[] { return [...this.counts.keys()].sort(); }
}
