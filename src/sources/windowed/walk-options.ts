import type { Clock } from '../../http/rate-limiter.js';
import type { WalkOptions } from './window-walker.js';

/** The window settings every windowed source's config carries (Jira, Confluence, Data Center). */
export interface WindowSettings {
  readonly name: string;
  readonly pageSize: number;
  readonly settleDelay: number;
  readonly overlap: number;
  readonly initialLookback: number;
}

/**
 * One place that turns a source's config into walk options, so every windowed source names
 * itself and its API path in the walker's errors (the window cap), not only the first one.
 */
export function walkOptionsFor(config: WindowSettings, api: string, path: string, clock: Clock): WalkOptions {
  return {
    api,
    pageSize: config.pageSize,
    settleMs: config.settleDelay,
    overlapMs: config.overlap,
    initialLookbackMs: config.initialLookback,
    clock,
    source: config.name,
    path,
  };
}
