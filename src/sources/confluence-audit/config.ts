import * as z from '../../util/zod.js';
import { windowedSourceShape } from '../windowed/windowed-config.js';

/**
 * `type: confluence-audit`: Confluence Cloud audit log, `GET /wiki/rest/api/audit`.
 * The API documents a default and maximum page of 1000 ("may be restricted by fixed system limits").
 */
export const confluenceAuditConfigSchema = z.strictObject({
  type: z.literal('confluence-audit'),
  ...windowedSourceShape(1000),
});

export type ConfluenceAuditConfig = z.output<typeof confluenceAuditConfigSchema>;
