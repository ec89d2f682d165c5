import * as z from '../../util/zod.js';
import type { RetentionLimit } from '../../pipeline/replay.js';
import { getProductPage, type ProductClientDeps, type ProductRequestSettings } from '../windowed/product-get.js';
import type { AuthProvider } from '../../auth/credential.js';

export const CONFLUENCE_RETENTION_PATH = '/wiki/rest/api/audit/retention';

/** `RetentionPeriod` in confluence-v1-audit.openapi.json: a number of java.time ChronoUnits. */
const retentionSchema = z.looseObject({ number: z.number().int(), units: z.string() });

const DAY = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  NANOS: 1e-6, MICROS: 1e-3, MILLIS: 1, SECONDS: 1_000, MINUTES: 60_000, HOURS: 3_600_000, HALF_DAYS: DAY / 2,
  DAYS: DAY, WEEKS: 7 * DAY, MONTHS: 30.436875 * DAY, YEARS: 365.2425 * DAY, DECADES: 3652.425 * DAY,
  CENTURIES: 36524.25 * DAY, MILLENNIA: 365242.5 * DAY,
};

/** Asks the site how long it keeps audit records (GET /wiki/rest/api/audit/retention). */
export async function confluenceRetention(
  signal: AbortSignal,
  request: { config: ProductRequestSettings; auth: AuthProvider; deps: ProductClientDeps },
): Promise<RetentionLimit> {
  const period = await getProductPage(CONFLUENCE_RETENTION_PATH, signal, {
    ...request,
    schema: retentionSchema,
    explainStatus: (status) => (status === 403 ? 'reading the audit retention period needs the Confluence Administrator global permission' : undefined),
  });
  return retentionFromPeriod(period.number, period.units);
}

export function retentionFromPeriod(number: number, units: string): RetentionLimit {
  const said = `the site's audit retention is ${number} ${units.toLowerCase()} (${CONFLUENCE_RETENTION_PATH})`;
  const unitMs = UNIT_MS[units.toUpperCase()];
  // FOREVER, ERAS or a unit this receiver does not know: nothing to refuse.
  if (unitMs === undefined) return { maxAgeMs: undefined, statement: said };
  return { maxAgeMs: Math.floor(number * unitMs), statement: said };
}
