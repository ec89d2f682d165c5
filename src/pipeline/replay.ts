import type { PollContext, SourcePage } from './source.js';

/** A closed range of event (creation) times, epoch ms, both ends inclusive. */
export interface ReplayWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * How far back a source's API still answers. `maxAgeMs` undefined: the API does not say, and
 * nothing is refused; `statement` tells people where the limit comes from either way.
 */
export interface RetentionLimit {
  readonly maxAgeMs: number | undefined;
  readonly statement: string;
}

/**
 * A source that can read a past window again without touching its live checkpoint. The pages'
 * `checkpoint` values are meaningless to the caller: a replay never stores them.
 */
export interface Replayable {
  replay(window: ReplayWindow, ctx: PollContext): AsyncIterable<SourcePage>;
  /** Asks the API when it can (Confluence); throws a typed error when it cannot be read. */
  retention(signal: AbortSignal): Promise<RetentionLimit>;
}

export function isReplayable<T extends object>(source: T): source is T & Replayable {
  return typeof (source as Partial<Replayable>).replay === 'function' && typeof (source as Partial<Replayable>).retention === 'function';
}

/** Marks a replayed LogRecord; its value is the replay's id. A public attribute (see the catalog). */
export const REPLAY_ID_ATTRIBUTE = 'atlassian.receiver.replay_id';
