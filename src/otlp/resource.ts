import { randomUUID } from 'node:crypto';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ServiceConfig } from '../config/config.js';
import { RECEIVER_VERSION } from '../version.js';

/** `service.*` attributes identify this receiver instance to the collector and the SIEM. */
export function receiverResource(service: ServiceConfig, instanceId: string = randomUUID()): Resource {
  return resourceFromAttributes({
    ...service.resourceAttributes,
    'service.name': service.name,
    'service.version': RECEIVER_VERSION,
    'service.instance.id': service.resourceAttributes['service.instance.id'] ?? instanceId,
  });
}
