// API efficiency under the documented rate limit, on a simulated clock. Runs the real
// receiver wiring (config parsing, buildReceiver, OrgEventsSource, requestJson,
// SlidingWindowLimiter, OtlpHttpSink to the bench collector, file checkpoints) in this
// process with an injected Clock: simulated time = real time + every sleep skipped
// instantly + a simulated API latency per request. The fake API (in this process) stamps
// each request's arrival on that clock; from the stamps we get the request rate the
// receiver actually used while catching up, and the most requests in any 60 s window.
//
// usage: node rate-limit.js '{"events":150000,"pageSize":500,"apiLatencyMs":250,"collectorUrl":"http://127.0.0.1:PORT"}'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../dist/config/load.js';
import { buildReceiver } from '../../dist/cli/wiring.js';
import { closeHttpAgent } from '../../dist/http/http-client.js';
import { silentLogger } from '../../dist/log/pino-logger.js';
import { runOnce } from '../../dist/pipeline/runner.js';
import { SeenUids } from '../../dist/pipeline/seen-uids.js';
import { createApiHandler, listen } from './fake-api.js';

const { events, apiLatencyMs, collectorUrl, limitPerMinute = 50, pageSize = 500 } = JSON.parse(process.argv[2]);
const WINDOW_MS = 60_000;

class SimulatedClock {
  skippedMs = 0;
  now() {
    return performance.timeOrigin + performance.now() + this.skippedMs;
  }
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    this.skippedMs += Math.max(0, ms);
    return new Promise((resolve) => setImmediate(resolve));
  }
  advance(ms) {
    this.skippedMs += ms;
  }
}

const clock = new SimulatedClock();
const arrivals = []; // { t, events } in simulated ms
const api = createApiHandler({
  onRequest: (_ds, count) => {
    arrivals[arrivals.length - 1].events = count;
  },
});
const { server, url } = await listen((req, res) => {
  arrivals.push({ t: clock.now(), events: 0 });
  clock.advance(apiLatencyMs); // the time Atlassian takes to answer
  api.handler(req, res);
});
api.setBaseUrl(url);
const orgId = 'bench-rate-org';
if (events <= limitPerMinute * pageSize) throw new Error(`the catch-up must take over a minute: use more than ${limitPerMinute * pageSize} events`);
const apiKey = 'bench-rate-key';
api.addOrg({ orgId, apiKey, total: events, baseMs: clock.now() - events - 3_600_000, stepMs: 1 });

const dir = mkdtempSync(join(tmpdir(), 'aar-bench-rate-'));
const file = join(dir, 'config.yaml');
const yaml = `state:
  directory: ./state
exporter:
  endpoint: ${collectorUrl}
  protocol: http/protobuf
sources:
  - name: bench-rate
    type: org-events
    orgId: ${orgId}
    apiKey: ${apiKey}
    baseUrl: ${url}
    pageSize: ${pageSize}
    initialLookback: 3650d
    requestsPerMinute: ${limitPerMinute}
`;
writeFileSync(file, yaml);
const config = parseConfig(yaml, file, {});
const receiver = await buildReceiver(config, silentLogger, { clock });
const never = new AbortController().signal;
const realStart = performance.now();
const [outcome] = await runOnce(receiver.sources, {
  store: receiver.store,
  sink: receiver.sink,
  seen: new SeenUids(),
  logger: silentLogger,
  maxRetryTimeMs: 60_000,
  stop: never,
  abort: never,
});
const realMs = performance.now() - realStart;
await closeHttpAgent();
server.closeAllConnections();
server.close();
rmSync(dir, { recursive: true, force: true });

// Most requests in any window [t, t + 60 s): the maximum is reached at a window starting on a request.
const times = arrivals.map((a) => a.t);
let maxInWindow = 0;
for (let i = 0, j = 0; i < times.length; i++) {
  while (j < times.length && times[j] < times[i] + WINDOW_MS) j++;
  maxInWindow = Math.max(maxInWindow, j - i);
}
// Mean use over every 60 s window that lies inside the catch-up (first to last request).
const first = times[0];
const last = times.at(-1);
let windows = 0, reqSum = 0, evSum = 0;
for (let s = first; s + WINDOW_MS <= last; s += 100) {
  windows++;
  for (const a of arrivals) {
    if (a.t >= s && a.t < s + WINDOW_MS) {
      reqSum++;
      evSum += a.events;
    }
  }
}
// The shortest time in which the API saw limit + 1 requests (under 60 s means over the limit).
let shortestSpanMs = null;
for (let i = 0; i + limitPerMinute < times.length; i++) {
  const span = times[i + limitPerMinute] - times[i];
  if (shortestSpanMs === null || span < shortestSpanMs) shortestSpanMs = span;
}
const summary = outcome.ok ? outcome.summary : undefined;
const result = {
  events,
  pageSize,
  limitPerMinute,
  apiLatencyMs,
  ok: outcome.ok,
  error: outcome.ok ? undefined : outcome.error,
  delivered: summary?.delivered ?? 0,
  requests: arrivals.length,
  simulatedMinutes: (last - first) / WINDOW_MS,
  realSeconds: realMs / 1000,
  windows,
  maxRequestsInAnyWindow: maxInWindow,
  shortestSpanOfLimitPlusOneMs: shortestSpanMs,
  meanRequestsPerWindow: windows ? reqSum / windows : null,
  eventsPerMinute: windows ? evSum / windows : null,
  ceilingEventsPerMinute: limitPerMinute * pageSize,
  usedFraction: windows ? reqSum / windows / limitPerMinute : null,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
