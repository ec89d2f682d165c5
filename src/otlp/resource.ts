import { randomUUID } from 'node:crypto';
import type { ServiceConfig } from '../config/config.js';
import { RECEIVER_VERSION } from '../version.js';

/**
 * The OTel resource the receiver's logs (and self-metrics) carry, as a plain attribute map:
 * the log encoder needs nothing more, so @opentelemetry/resources is loaded only where an SDK
 * needs its Resource object (self-metrics on `run`, the http/json serializer).
 */
export interface ReceiverResource {
  readonly attributes: Readonly<Record<string, string>>;
}

/** `service.*` attributes identify this receiver instance to the collector and the SIEM. */
export function receiverResource(service: ServiceConfig, instanceId: string = randomUUID()): ReceiverResource {
  return Object.freeze({
    attributes: Object.freeze({
      ...service.resourceAttributes,
      'service.name': service.name,
      'service.version': RECEIVER_VERSION,
      'service.instance.id': service.resourceAttributes['service.instance.id'] ?? instanceId,
    }),
  });
}
