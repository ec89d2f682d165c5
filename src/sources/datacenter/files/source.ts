/**
 * Data Center audit files: the JSON lines each node writes to `<local-home>/log/audit/*.audit.log`
 * (a new file at midnight or at 100 MB, 100 kept, names sorted by date and counter).
 *
 * Files are read oldest name first, line by line, in batches; each batch is one page whose
 * checkpoint holds every file's offset, so an offset moves only after the collector accepted
 * the lines before it. A file is known by device + inode (a renamed file keeps its place) and a
 * hash of its first bytes (a new file on a reused inode starts at 0). A trailing fragment waits
 * for its newline. A file smaller than its offset was truncated: it is read again from 0 with a
 * warning, and events it replays are dropped by key (the last RECENT_KEYS per file). After a
 * pass the glob is read again, so a file that appeared meanwhile is read in the same poll.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Clock } from '../../../http/rate-limiter.js';
import { systemClock } from '../../../http/rate-limiter.js';
import type { Logger } from '../../../log/logger.js';
import type { AuditLogRecord } from '../../../pipeline/audit-log-record.js';
import type { CheckResult, CheckpointState, PollContext, Source, SourcePage } from '../../../pipeline/source.js';
import { copyKey } from '../../record-fingerprint.js';
import { dcEventTimeMs, dcFingerprint } from '../identity.js';
import { mapDataCenterEvent } from '../map.js';
import { decodeFileCheckpoint, type FileCheckpoint, type FileState } from './checkpoint.js';
import type { DcAuditFileConfig } from './config.js';
import { HEAD_BYTES, headHash, identify } from './file-identity.js';
import { globFiles } from './glob.js';
import { readLines, type Line } from './line-reader.js';

const RECENT_KEYS = 256;
/** Passes over the glob per poll; each finds the files that appeared during the previous one. */
const MAX_PASSES = 5;

export interface DcFileSourceDeps {
  readonly logger: Logger;
  readonly checkpointFile: string;
  readonly clock?: Clock;
}

export class DcAuditFileSource implements Source {
  readonly type = 'datacenter-audit-file';
  readonly name: string;
  readonly pollIntervalMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly config: DcAuditFileConfig,
    private readonly deps: DcFileSourceDeps,
  ) {
    this.name = config.name;
    this.pollIntervalMs = config.pollInterval;
    this.clock = deps.clock ?? systemClock;
  }

  async *pages(checkpoint: CheckpointState | undefined, ctx: PollContext): AsyncIterable<SourcePage> {
    let state = decodeFileCheckpoint(checkpoint, this.name, this.deps.checkpointFile);
    let committed = state;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const seen = new Set<string>();
      let progressed = false;
      for (const path of await globFiles(this.config.paths)) {
        if (ctx.signal.aborted) return;
        let handle: FileHandle;
        try {
          handle = await open(path, 'r');
        } catch {
          continue; // deleted between glob and open
        }
        try {
          const { key, size } = await identify(handle);
          seen.add(key);
          let entry = await this.resume(handle, key, size, path, state.files[key], ctx.logger);
          for (;;) {
            const lines = await readLines(handle, entry.offset, this.config.batchSize, this.config.maxLineBytes);
            if (lines.length === 0) break;
            const before = entry.offset;
            const { records, next } = this.toRecords(lines, entry);
            entry = { ...next, path, ...(await this.head(handle, next.offset)) };
            state = { ...state, files: { ...state.files, [key]: entry } };
            progressed = true;
            committed = state;
            yield { records, checkpoint: state, note: `${path} bytes ${before}..${entry.offset}` };
          }
          if (state.files[key] !== entry) state = { ...state, files: { ...state.files, [key]: entry } };
        } finally {
          await handle.close();
        }
      }
      // Deleted (100 kept, the oldest removed) or moved out of the glob: nothing left to read there.
      state = { ...state, files: Object.fromEntries(Object.entries(state.files).filter(([key]) => seen.has(key))) };
      if (!progressed) {
        // Forgotten files, or a truncated / reused file restarted with nothing new yet: remember that.
        if (JSON.stringify(state) !== JSON.stringify(committed)) yield { records: [], checkpoint: state, note: 'file list changed' };
        return;
      }
    }
  }

  async check(): Promise<CheckResult> {
    const files = await globFiles(this.config.paths);
    if (files.length === 0) return { ok: false, detail: `no file matches ${this.config.paths.join(', ')} (yet): check paths and that the receiver may read <local-home>/log/audit` };
    try {
      await (await open(files[files.length - 1]!, 'r')).close();
    } catch (err) {
      return { ok: false, detail: `cannot read ${files[files.length - 1]}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    }
    return { ok: true, detail: `${files.length} audit file(s) readable, newest ${files[files.length - 1]}` };
  }

  /** Where to continue in this file, after checking that it is the file the checkpoint knew. */
  private async resume(handle: FileHandle, key: string, size: number, path: string, known: FileState | undefined, logger: Logger): Promise<FileState> {
    const fresh: FileState = { path, offset: 0, head: '', headLen: 0, copies: [], recent: [] };
    if (known === undefined) return fresh;
    // Replayed events are dropped by key either way: a key names an event's content, not its place.
    if (size < known.offset) {
      logger.warn('audit file is shorter than the offset already delivered (truncated): reading it again from the start, dropping events already delivered', { event: 'file.truncated', source: this.name, path, offset: known.offset, size });
      return { ...fresh, recent: known.recent };
    }
    if (known.headLen > 0 && (await headHash(handle, known.headLen)) !== known.head) {
      logger.info('audit file reuses the inode of a file already read: reading it from the start', { event: 'file.replaced', source: this.name, path });
      return { ...fresh, recent: known.recent };
    }
    return { ...known, path };
  }

  private async head(handle: FileHandle, offset: number): Promise<{ head: string; headLen: number }> {
    const headLen = Math.min(HEAD_BYTES, offset);
    return { head: await headHash(handle, headLen), headLen };
  }

  /** Maps lines, numbering identical events within their millisecond and dropping replays of delivered keys. */
  private toRecords(lines: readonly Line[], entry: FileState): { records: AuditLogRecord[]; next: FileState } {
    const observedMs = this.clock.now();
    let ms = entry.ms;
    let copies = new Map(entry.copies);
    const delivered = new Set(entry.recent);
    const recent = [...entry.recent];
    const records: AuditLogRecord[] = [];
    for (const line of lines) {
      const raw = parseLine(line.text);
      const t = dcEventTimeMs(raw);
      if (t !== ms) [ms, copies] = [t, new Map()];
      const fingerprint = dcFingerprint(raw);
      const occurrence = copies.get(fingerprint) ?? 0;
      copies.set(fingerprint, occurrence + 1);
      const key = copyKey(fingerprint, occurrence);
      if (delivered.has(key)) continue;
      recent.push(key);
      records.push(this.map(raw, line, fingerprint, occurrence, observedMs));
    }
    const last = lines[lines.length - 1]!;
    return {
      records,
      next: { ...entry, offset: last.end, ...(ms === undefined ? {} : { ms }), copies: [...copies], recent: recent.slice(-RECENT_KEYS) },
    };
  }

  private map(raw: unknown, line: Line, fingerprint: string, occurrence: number, observedMs: number): AuditLogRecord {
    const record = mapDataCenterEvent(raw, { product: this.config.product, sourceName: this.name, observedMs, fingerprint, occurrence });
    const problem = line.truncated ? `line longer than maxLineBytes (${this.config.maxLineBytes}); delivered cut short` : typeof raw === 'string' ? 'line is not valid JSON' : undefined;
    if (problem !== undefined) record.attributes['atlassian.receiver.schema_error'] = problem;
    return record;
  }
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export type { FileCheckpoint };
