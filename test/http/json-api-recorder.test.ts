import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '../../src/http/http-client.js';
import { requestJson } from '../../src/http/json-api.js';
import { silentLogger } from '../../src/log/pino-logger.js';
import type { ApiRecorder } from '../../src/telemetry/recorder.js';
import { CancellableDelays, closeServer, listenOnLoopback } from '../helpers/http-server-utils.js';

class CountingRecorder implements ApiRecorder {
  readonly calls: string[] = [];
  apiResponse(source: string, status: number | undefined, errorType?: string) {
    this.calls.push(`${source} ${status ?? errorType}`);
  }
  apiRetry(source: string, reason: string) {
    this.calls.push(`${source} retry ${reason}`);
  }
}

let server: Server;
let url: string;
const answers: { status: number; headers?: Record<string, string>; body: string }[] = [];
beforeAll(async () => {
  server = createServer((_req, res) => {
    const a = answers.shift() ?? { status: 200, body: '{"ok":true}' };
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body);
  });
  url = await listenOnLoopback(server);
});
afterAll(async () => {
  await closeServer(server, new CancellableDelays());
  await closeHttpAgent();
});

const FAST = { initialMs: 1, maxMs: 5, multiplier: 2 };

describe('requestJson reports every answer and retry to its recorder', () => {
  it('counts a 429, its retry, a 500, its retry and the final 200', async () => {
    answers.push({ status: 429, headers: { 'retry-after': '0' }, body: '{}' }, { status: 500, body: '{}' });
    const recorder = new CountingRecorder();
    const json = await requestJson({ method: 'GET', url: `${url}/x`, headers: {}, timeoutMs: 2_000 }, { source: 'org', retryDeadlineMs: 5_000, logger: silentLogger, backoff: FAST, recorder });
    expect(json).toEqual({ ok: true });
    expect(recorder.calls).toEqual(['org 429', 'org retry ATL_RATE_LIMITED', 'org 500', 'org retry ATL_SERVER_ERROR', 'org 200']);
  });

  it('counts a 401 once (no retry) and a refused connection by its error code', async () => {
    answers.push({ status: 401, body: '{}' });
    const recorder = new CountingRecorder();
    await expect(requestJson({ method: 'GET', url: `${url}/x`, headers: {}, timeoutMs: 2_000 }, { source: 'org', retryDeadlineMs: 5_000, logger: silentLogger, recorder })).rejects.toThrow(/401/);
    const closed = createServer();
    const deadUrl = await listenOnLoopback(closed);
    await new Promise((resolve) => closed.close(resolve));
    await expect(requestJson({ method: 'GET', url: `${deadUrl}/x`, headers: {}, timeoutMs: 2_000 }, { source: 'jira', retryDeadlineMs: 0, logger: silentLogger, recorder })).rejects.toThrow(/ECONNREFUSED/);
    expect(recorder.calls).toEqual(['org 401', 'jira HTTP_TRANSPORT']);
  });
});
