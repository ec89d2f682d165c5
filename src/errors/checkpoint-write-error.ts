import { ReceiverError } from './receiver-error.js';

/**
 * A checkpoint could not be written (permissions, a full disk, a read-only volume). The page
 * it covers was delivered; the source delivers nothing more until the write succeeds.
 */
export class CheckpointWriteError extends ReceiverError {
  constructor(source: string, file: string, reason: string, options?: { cause?: unknown }) {
    super(
      'CHECKPOINT_WRITE_FAILED',
      `cannot write the checkpoint of source "${source}" (${reason}); its delivery is paused until the write succeeds (retried every poll)`,
      { source, file },
      options,
    );
  }
}
