import * as z from '../../util/zod.js';
import { windowedSourceShape } from '../windowed/windowed-config.js';

/**
 * `type: jira-audit`: Jira Cloud audit records, `GET /rest/api/3/auditing/record`.
 * Pages hold at most 1000 records (the API resets larger limits to 1000).
 */
export const jiraAuditConfigSchema = z.strictObject({
  type: z.literal('jira-audit'),
  ...windowedSourceShape(1000),
});

export type JiraAuditConfig = z.output<typeof jiraAuditConfigSchema>;
