import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ReceiverError } from '../errors/receiver-error.js';
import { AuthError } from '../errors/auth-error.js';
import { writeFileAtomic } from '../util/atomic-file.js';

/** What a rotated refresh token is saved as; `savedAt` helps an operator judge its 90-day idle expiry. */
interface SavedRefreshToken {
  readonly v: 1;
  readonly refreshToken: string;
  readonly savedAt: string;
}

/**
 * The latest refresh token of one OAuth 2.0 (3LO) credential, in the state directory.
 * Atlassian rotates refresh tokens: once a refresh succeeds, the old one dies soon after,
 * so the new one must be on disk before it is relied upon. The file (mode 0600) is replaced
 * atomically (util/atomic-file.ts): after a crash there is the old or the new token.
 */
export class RefreshTokenFile {
  constructor(readonly file: string) {}

  /** The saved token, or undefined when none was saved yet. */
  async load(): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new AuthError(`cannot read the saved OAuth refresh token (${code ?? 'error'})`, { file: this.file }, { cause: err });
    }
    const saved = parse(text);
    if (!saved) {
      // Falling back to the config's token would silently use a token that was already rotated away.
      throw new AuthError(
        'the saved OAuth refresh token file is unreadable; delete it to start again from auth.refreshToken in the config (which must then be a fresh token)',
        { file: this.file },
      );
    }
    return saved.refreshToken;
  }

  async save(refreshToken: string): Promise<void> {
    try {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      const saved: SavedRefreshToken = { v: 1, refreshToken, savedAt: new Date().toISOString() };
      await writeFileAtomic(this.file, `${JSON.stringify(saved)}\n`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new ReceiverError('STATE_DIR_UNWRITABLE', `cannot save the rotated OAuth refresh token (${code})`, { file: this.file }, { cause: err });
    }
  }
}

function parse(text: string): SavedRefreshToken | undefined {
  try {
    const value = JSON.parse(text) as Partial<SavedRefreshToken> | null;
    if (value?.v === 1 && typeof value.refreshToken === 'string' && value.refreshToken !== '') return value as SavedRefreshToken;
  } catch {
    // fall through: not JSON
  }
  return undefined;
}
