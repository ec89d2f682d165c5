import type { AttributeValue, AuditLogRecord } from '../pipeline/audit-log-record.js';
import type { DeliveryResult, LogSink } from '../pipeline/sink.js';

/**
 * Prints LogRecords for people (the `demo` command): a headline per record, then its
 * attributes one per line. What an OTLP collector would receive, minus the body.
 */
export class ConsoleSink implements LogSink {
  readonly description = 'stdout (readable)';
  constructor(private readonly write: (text: string) => void = (t) => process.stdout.write(t)) {}

  async deliver(records: readonly AuditLogRecord[]): Promise<DeliveryResult> {
    const lines: string[] = [];
    for (const r of records) {
      const action = r.attributes['atlassian.audit.action'] ?? '';
      const message = r.attributes['atlassian.audit.message'] ?? '';
      lines.push(`${new Date(r.timeMs).toISOString()} ${r.severity.text.padEnd(4)} ${r.eventName} ${String(action)}: ${String(message)}`);
      for (const key of Object.keys(r.attributes).sort()) {
        if (key === 'atlassian.audit.message') continue;
        lines.push(`    ${key} = ${render(r.attributes[key]!)}`);
      }
      lines.push('');
    }
    this.write(`${lines.join('\n')}\n`);
    return { status: 'accepted', rejected: 0 };
  }

  async check(): Promise<{ ok: boolean; detail: string }> {
    return { ok: true, detail: 'stdout' };
  }

  async shutdown(): Promise<void> {}
}

function render(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
