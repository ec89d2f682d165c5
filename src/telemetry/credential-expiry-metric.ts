import type { Meter } from '@opentelemetry/api';
import type { CredentialExpiry } from './credential-expiry.js';

/** OTLP name; Prometheus: atlassian_receiver_credential_expiry_timestamp_seconds. */
export const CREDENTIAL_EXPIRY_METRIC = 'atlassian.receiver.credential.expiry_timestamp';

/** One gauge point per configured expiry, labelled by source and credential name (never the secret). */
export function registerCredentialExpiryGauge(meter: Meter, expiries: readonly CredentialExpiry[]): void {
  if (expiries.length === 0) return;
  const gauge = meter.createObservableGauge(CREDENTIAL_EXPIRY_METRIC, { unit: 's', description: 'Unix time (seconds) at which a configured credential expires' });
  gauge.addCallback((result) => {
    for (const e of expiries) result.observe(e.expiresAtMs / 1_000, { source: e.source, credential: e.credential });
  });
}
