import * as z from '../../../util/zod.js';
import { DURATION_RANGES } from '../../../config/duration-ranges.js';
import { duration } from '../../../config/fields.js';
import { dcProduct } from '../config.js';

/**
 * `type: datacenter-audit-file`: the JSON-lines audit files one Data Center node writes to
 * `<local-home>/log/audit/*.audit.log`. One receiver per node (a cluster has one directory per node).
 */
export const dcAuditFileConfigSchema = z.strictObject({
  type: z.literal('datacenter-audit-file'),
  name: z.string({ error: 'name is required' }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: 'must be 1-64 letters, digits, dot, dash or underscore (it names the checkpoint file)',
  }),
  product: dcProduct,
  /** Absolute glob patterns; `*`, `?` and `[…]` match within one path segment. */
  paths: z
    .array(z.string().min(1, { error: 'a path is empty' }).refine((p) => p.startsWith('/'), { error: 'must be an absolute path' }), { error: 'paths must be a list of glob patterns' })
    .min(1, { error: 'paths needs at least one glob pattern, e.g. /var/atlassian/application-data/jira/log/audit/*.audit.log' }),
  pollInterval: duration(DURATION_RANGES.filePollInterval).default(5_000),
  /** Records per delivered batch. */
  batchSize: z.int({ error: 'must be a whole number' }).min(1).max(10_000).default(1_000),
  /** A line longer than this is delivered truncated and flagged, so memory stays bounded. */
  maxLineBytes: z.int({ error: 'must be a whole number' }).min(1_024).max(64 * 1_048_576).default(1_048_576),
});

export type DcAuditFileConfig = z.output<typeof dcAuditFileConfigSchema>;
