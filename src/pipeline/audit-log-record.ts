/**
 * The receiver's own LogRecord: what a source's mapping produces and a sink delivers.
 * Kept free of SDK types so mappings stay pure and testable; `otlp/` converts it.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/** OTel SeverityNumber values this receiver uses. */
export const Severity = {
  INFO: { number: 9, text: 'INFO' },
  WARN: { number: 13, text: 'WARN' },
} as const;
export type SeverityLevel = (typeof Severity)[keyof typeof Severity];

export interface AuditLogRecord {
  /** Stable across re-reads of the same upstream record; also `log.record.uid`. */
  readonly uid: string;
  /** When the audited action happened (epoch ms). */
  readonly timeMs: number;
  /** When the receiver read it (epoch ms). */
  readonly observedMs: number;
  readonly eventName: string;
  readonly severity: SeverityLevel;
  /** The original upstream record, nothing dropped. */
  readonly body: AttributeValue;
  readonly attributes: Attributes;
  /**
   * The record already encoded, in the sink's own form, by the sink that prepared it
   * (LogSink.prepare); `body` and `attributes` are then empty. Only that sink reads it.
   */
  readonly encoded?: Uint8Array;
}
