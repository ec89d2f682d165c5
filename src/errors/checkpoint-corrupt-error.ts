import { ReceiverError } from './receiver-error.js';

/** A checkpoint exists but cannot be trusted; never silently replaced by `initialLookback`. */
export class CheckpointCorruptError extends ReceiverError {
  constructor(source: string, file: string, reason: string, options?: { cause?: unknown }) {
    super(
      'CHECKPOINT_CORRUPT',
      `checkpoint for source "${source}" is unreadable: ${reason}. ` +
        `To start that source again from its initialLookback, run with --reset-checkpoint ${source} or delete ${file}`,
      { source, file },
      options,
    );
  }
}
