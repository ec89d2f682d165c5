import { ReceiverError } from './receiver-error.js';

/**
 * The state directory cannot be used: not writable (`STATE_DIR_UNWRITABLE`) or held by another
 * receiver process (`STATE_DIR_LOCKED`). Both are start-up problems: the CLI exits 2.
 */
export class StateDirectoryError extends ReceiverError {
  constructor(code: 'STATE_DIR_UNWRITABLE' | 'STATE_DIR_LOCKED', message: string, directory: string, options?: { cause?: unknown }) {
    super(code, message, { file: directory }, options);
  }
}
