import { ReceiverError } from './receiver-error.js';

/** The collector would not take a batch: refused it (4xx) or stayed unavailable past the retry budget. */
export class DeliveryError extends ReceiverError {
  constructor(source: string, reason: string, final: boolean) {
    super(final ? 'OTLP_REJECTED' : 'OTLP_UNAVAILABLE', `collector did not accept the batch: ${reason}; the checkpoint was not moved`, { source });
  }
}
