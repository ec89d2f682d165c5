import { describe, expect, it } from 'vitest';
import type { SourceOutcome } from '../../src/pipeline/runner.js';
import { READY_WITHIN_POLL_INTERVALS, sourceReadiness } from '../../src/telemetry/readiness.js';
import { SourceStatusBoard } from '../../src/telemetry/source-status.js';

const MIN = 60_000;
const T0 = Date.parse('2026-05-19T12:00:00Z');

class FakeClock {
  constructor(public t = T0) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

const summary = { pages: 1, fetched: 0, delivered: 0, duplicatesDropped: 0, rejectedByCollector: 0, lastEventTimeMs: undefined, interrupted: false };
const ok = (source: string, startedAtMs: number, finishedAtMs: number): SourceOutcome => ({ source, ok: true, summary: { source, ...summary }, startedAtMs, finishedAtMs });
const failed = (source: string, at: number): SourceOutcome => ({ source, ok: false, code: 'ATL_HTTP_STATUS', error: 'the API answered 401', startedAtMs: at, finishedAtMs: at });

describe('readiness: every source polled successfully within 3 × its poll interval', () => {
  it('is not ready before the first success, ready after it, and not ready again once 3 intervals pass without one', () => {
    const clock = new FakeClock();
    const board = new SourceStatusBoard([{ name: 'org', pollIntervalMs: MIN }], clock);
    expect(board.readiness()).toMatchObject({ status: 'not ready', sources: [{ source: 'org', ready: false, reason: 'no successful poll yet (the first poll is still running)' }] });

    clock.advance(2_000);
    board.cycleFinished(ok('org', T0, clock.now()));
    expect(board.readiness()).toMatchObject({ status: 'ready', sources: [{ source: 'org', ready: true, lastSuccessAt: '2026-05-19T12:00:02.000Z' }] });

    clock.advance(READY_WITHIN_POLL_INTERVALS * MIN); // exactly at the limit: still ready
    expect(board.readiness().status).toBe('ready');
    clock.advance(1);
    const late = board.readiness();
    expect(late.status).toBe('not ready');
    expect(late.sources[0]!.reason).toBe('no successful poll for 3m (limit 3m = 3 × pollInterval 1m); a poll is still running (the API or the collector may be failing and being retried)');
  });

  it('names the error when the polls since the last success failed, and recovers on the next success', () => {
    const clock = new FakeClock();
    const board = new SourceStatusBoard([{ name: 'org', pollIntervalMs: MIN }, { name: 'jira', pollIntervalMs: 5 * MIN }], clock);
    board.cycleFinished(ok('org', T0, T0));
    board.cycleFinished(ok('jira', T0, T0));
    clock.advance(MIN);
    board.cycleFinished(failed('org', clock.now()));
    // One failure inside the window is not yet a readiness problem.
    expect(board.readiness().status).toBe('ready');
    clock.advance(2 * MIN + 1_000);
    board.cycleFinished(failed('org', clock.now()));
    const r = board.readiness();
    expect(r.status).toBe('not ready');
    expect(r.sources[0]).toMatchObject({
      source: 'org',
      ready: false,
      reason: 'no successful poll for 3m1s (limit 3m = 3 × pollInterval 1m); the last poll failed: ATL_HTTP_STATUS: the API answered 401',
      lastError: { code: 'ATL_HTTP_STATUS', message: 'the API answered 401', at: new Date(clock.now()).toISOString() },
    });
    // jira polls every 5m: 3m1s is well inside its 15m.
    expect(r.sources[1]).toMatchObject({ source: 'jira', ready: true });

    board.cycleFinished(ok('org', clock.now(), clock.now()));
    expect(board.readiness().status).toBe('ready');
  });

  it('counts a committed page as success, so a long backfill stays ready while it makes progress', () => {
    const clock = new FakeClock();
    const board = new SourceStatusBoard([{ name: 'org', pollIntervalMs: MIN }], clock);
    for (let i = 0; i < 10; i++) {
      clock.advance(MIN);
      board.committed('org', [{ timeMs: T0 - 86_400_000 + i * 1_000 }]);
      expect(board.readiness().status).toBe('ready');
    }
    expect(board.checkpointLagMs('org')).toBe(clock.now() - (T0 - 86_400_000 + 9_000));
  });

  it('measures checkpoint lag from the newest delivered event or the start of the last caught-up poll', () => {
    const clock = new FakeClock();
    const board = new SourceStatusBoard([{ name: 'org', pollIntervalMs: MIN }], clock);
    expect(board.checkpointLagMs('org')).toBeUndefined();
    board.committed('org', [{ timeMs: T0 - 10 * MIN }, { timeMs: T0 - 5 * MIN }]);
    expect(board.checkpointLagMs('org')).toBe(5 * MIN);
    clock.advance(MIN);
    board.cycleFinished(ok('org', T0, clock.now())); // caught up as of T0, though the newest event is older
    expect(board.checkpointLagMs('org')).toBe(MIN);
    // An interrupted (shutdown) cycle did not reach "now".
    clock.advance(10 * MIN);
    board.cycleFinished({ source: 'org', ok: true, summary: { source: 'org', ...summary, interrupted: true }, startedAtMs: clock.now(), finishedAtMs: clock.now() });
    expect(board.checkpointLagMs('org')).toBe(11 * MIN);
  });

  it('is a pure function of the status and the time', () => {
    const s = { name: 'x', pollIntervalMs: 1_000, lastCommitAtMs: 10_000, lastPollOkAtMs: 5_000 };
    expect(sourceReadiness(s, 13_000).ready).toBe(true);
    expect(sourceReadiness(s, 13_001).ready).toBe(false);
  });
});
