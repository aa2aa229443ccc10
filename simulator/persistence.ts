/**
 * --data-file: the store as one JSON file, loaded at start and rewritten (temp file + rename, so a crash never
 * leaves half a file) shortly after changes and on close. A file that cannot be read or parsed stops the start
 * with an error naming the file and what to do; a missing file is created on the first save.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'winston';
import type { MailboxStore } from './mailbox-store';
import { assertSnapshot } from './store-snapshot';

/** Delay between a change and the write that saves it; changes within it share one write. */
export const SAVE_DELAY_MS = 250;

export class DataFileError extends Error {}

/** Loads `path` into `store`; false when the file does not exist yet. */
export function loadDataFile(path: string, store: MailboxStore): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw dataFileError(path, `it cannot be read (${(err as Error).message})`);
  }
  try {
    const data: unknown = JSON.parse(text);
    assertSnapshot(data);
    store.restore(data);
  } catch (err) {
    throw dataFileError(path, `it is not a valid simulator data file (${(err as Error).message})`);
  }
  return true;
}

function dataFileError(path: string, reason: string): DataFileError {
  return new DataFileError(
    `simulator: cannot load the data file ${path}: ${reason}. Restore a good copy, or move it away or delete ` +
      'it to start with an empty store (it is recreated on the next change).',
  );
}

/** Saves the store to `path` after changes (debounced) and on close. */
export class DataFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly store: MailboxStore,
    private readonly logger: Logger,
    private readonly delayMs = SAVE_DELAY_MS,
  ) {}

  schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now (after any write in progress). */
  save(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }

  private async write(): Promise<void> {
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(this.store.serialise()), { mode: 0o600 });
      await rename(temp, this.path);
    } catch (err) {
      this.logger.error('simulator: saving the data file failed', {
        path: this.path,
        error: (err as Error).message,
      });
    }
  }
}
