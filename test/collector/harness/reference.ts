// What the receiver itself emits for the Atlassian fixtures, captured by the plain OTLP test
// collector: every destination is compared with this, record by record (log.record.uid).
import { startCollector, type ReceivedLogRecord } from '../../helpers/otlp-collector.js';
import { runOnce, writeReceiverConfig, type Atlassian, type ReceiverOptions } from './atlassian.js';

export interface Reference {
  readonly byUid: Map<string, ReceivedLogRecord>;
  /** Records grouped by the source that emitted them (config name). */
  readonly bySource: Map<string, ReceivedLogRecord[]>;
}

export async function captureReference(atlassian: Atlassian, o?: ReceiverOptions): Promise<Reference> {
  const collector = await startCollector();
  try {
    const result = await runOnce(writeReceiverConfig(atlassian, collector.url, o));
    if (result.code !== 0) throw new Error(`reference run failed:\n${result.stdout}\n${result.stderr}`);
    const byUid = new Map<string, ReceivedLogRecord>();
    const bySource = new Map<string, ReceivedLogRecord[]>();
    for (const r of collector.records) {
      const uid = String(r.attributes['log.record.uid']);
      if (byUid.has(uid)) throw new Error(`the receiver emitted ${uid} twice in one run`);
      byUid.set(uid, r);
      const source = String(r.attributes['atlassian.source']);
      bySource.set(source, [...(bySource.get(source) ?? []), r]);
    }
    if (byUid.size !== atlassian.expectedRecords) throw new Error(`reference run emitted ${byUid.size} records, expected ${atlassian.expectedRecords}`);
    return { byUid, bySource };
  } finally {
    await collector.close();
  }
}

/** Resolves once `count()` reaches `n`; rejects with `describe()` after `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((r) => setTimeout(r, 100));
  }
}
