import { ReceiverError } from './receiver-error.js';

export interface ConfigIssue {
  /** Dotted key path, e.g. `sources[0].orgId`. */
  readonly path: string;
  readonly message: string;
}

/** Every problem in a config file at once, each naming its key. */
export class ConfigError extends ReceiverError {
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    super('CONFIG_INVALID', `invalid configuration in ${file}`, { file });
    this.issues = issues;
  }

  override describe(): string {
    const lines = this.issues.map((i) => `  ${i.path || '(top level)'}: ${i.message}`);
    return [`${this.message}: ${this.issues.length} problem${this.issues.length === 1 ? '' : 's'}`, ...lines].join('\n');
  }
}
