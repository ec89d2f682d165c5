import * as z from '../util/zod.js';
import { DURATION_RANGES } from './duration-ranges.js';
import { duration, httpUrl } from './fields.js';
import { issueMessage, unknownKeys } from './issue-message.js';
import { proxyConfigSchema } from './proxy.js';
import { exporterTlsSchema } from './tls-files.js';
import { orgEventsConfigSchema } from '../sources/org-events/config.js';
import { telemetryConfigSchema } from '../telemetry/config.js';
import { pipelineConfigSchema } from '../pipeline/config.js';
import { parseShard } from './shard.js';
import { jiraAuditConfigSchema } from '../sources/jira-audit/config.js';
import { confluenceAuditConfigSchema } from '../sources/confluence-audit/config.js';
import { dcAuditConfigSchema } from '../sources/datacenter/config.js';
import { dcAuditFileConfigSchema } from '../sources/datacenter/files/config.js';

/** Every source type the receiver knows; each source folder owns its schema. */
export const SOURCE_SCHEMAS = [orgEventsConfigSchema, jiraAuditConfigSchema, confluenceAuditConfigSchema, dcAuditConfigSchema, dcAuditFileConfigSchema] as const;
export const SOURCE_TYPES = SOURCE_SCHEMAS.map((s) => s.shape.type.value);

const sourceSchema = z.unknown().transform((raw, ctx) => {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const schema = SOURCE_SCHEMAS.find((s) => s.shape.type.value === type);
  if (!schema) {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: type === undefined ? `type is required (one of: ${SOURCE_TYPES.join(', ')})` : `unknown source type; expected one of: ${SOURCE_TYPES.join(', ')}`,
    });
    return z.NEVER;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // Unknown keys travel as data, not text: load.ts decides whether a key may be printed.
      const keys = unknownKeys(issue);
      ctx.addIssue({ code: 'custom', path: issue.path, message: issueMessage(issue), ...(keys ? { params: { unknownKeys: keys } } : {}) });
    }
    return z.NEVER;
  }
  return parsed.data;
});

export const DEFAULT_CREDENTIAL_EXPIRY_WARNING_MS = 30 * 86_400_000;

export const fileConfigSchema = z.strictObject({
  state: z.strictObject({ directory: z.string().min(1).default('./state') }).default({ directory: './state' }),
  exporter: z
    .strictObject({
      // Plain http:// anywhere, as the OTel SDKs allow (an in-cluster gateway); start-up warns off loopback.
      endpoint: httpUrl('anywhere').optional(),
      protocol: z.enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json' }).optional(),
      compression: z.enum(['gzip', 'none'], { error: 'must be gzip or none' }).optional(),
      /** The record body as OTLP structure (`map`) or as its JSON text in one string (`json`); otlp/body-format.ts. */
      bodyFormat: z.enum(['map', 'json'], { error: 'must be map or json' }).optional(),
      headers: z.record(z.string(), z.string({ error: 'header values must be strings' })).optional(),
      timeout: duration(DURATION_RANGES.exporterTimeout).optional(),
      /** How long `once` keeps retrying a batch the collector will not take; `run` retries until stopped. */
      maxRetryTime: duration(DURATION_RANGES.maxRetryTime).optional(),
      tls: exporterTlsSchema,
    })
    .default({}),
  /** The receiver's own health endpoint and metrics (`run` only); defaults in telemetry/config.ts. */
  telemetry: telemetryConfigSchema,
  /** Credential expiry (apiKeyExpiresAt, auth.expiresAt) is warned about from this long before. */
  credentialExpiryWarning: duration(DURATION_RANGES.credentialExpiryWarning).default(DEFAULT_CREDENTIAL_EXPIRY_WARNING_MS),
  /** Concurrency and read-ahead for all sources together; defaults in pipeline/config.ts. */
  pipeline: pipelineConfigSchema,
  /** `INDEX/COUNT`: run only the sources whose name hashes to this shard (config/shard.ts); `--shard` overrides it. */
  shard: z
    .string({ error: 'must be INDEX/COUNT, e.g. 0/3' })
    .transform((text, ctx) => {
      const shard = parseShard(text);
      if (typeof shard === 'string') {
        ctx.addIssue({ code: 'custom', message: shard });
        return z.NEVER;
      }
      return shard;
    })
    .optional(),
  /** Replaces HTTPS_PROXY/HTTP_PROXY/NO_PROXY as a whole when present (`proxy: {}` = no proxy). */
  proxy: proxyConfigSchema,
  sources: z.array(sourceSchema, { error: 'sources must be a list' }).min(1, { error: 'at least one source is required' }),
});

export type FileConfig = z.output<typeof fileConfigSchema>;
export type SourceConfig = FileConfig['sources'][number];
