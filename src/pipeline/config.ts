import * as z from '../util/zod.js';

/**
 * `pipeline:` how much work the process does at once, for all its sources together. The
 * defaults suit one org as well as hundreds: memory is bounded by the pages held at once
 * (maxConcurrentExports × (1 + readAhead)), not by the number of sources.
 */
export const pipelineConfigSchema = z
  .strictObject({
    /** Exports open to the collector at once, across every source (granted first come, first served). */
    maxConcurrentExports: z.int({ error: 'must be a whole number from 1 to 64' }).min(1, { error: 'must be from 1 to 64' }).max(64, { error: 'must be from 1 to 64' }).default(4),
    /** Pages a source fetches ahead of the one being exported; 0 fetches only after each commit. */
    readAhead: z.int({ error: 'must be a whole number from 0 to 4' }).min(0, { error: 'must be from 0 to 4' }).max(4, { error: 'must be from 0 to 4' }).default(1),
  })
  .default({ maxConcurrentExports: 4, readAhead: 1 });

export type PipelineConfig = z.output<typeof pipelineConfigSchema>;

export const DEFAULT_PIPELINE: PipelineConfig = { maxConcurrentExports: 4, readAhead: 1 };
