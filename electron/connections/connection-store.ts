import { access, rename } from 'node:fs/promises';
import type { ConnectionNotice, SavedConnection } from '../../shared/contract/connections';
import { atomicWriteFile } from '../services/atomic-write-file';
import type { Logger } from '../services/logger';
import {
  connectionsFilePath,
  formatConnectionsFile,
  readConnectionsFile,
} from './connections-file';

export interface ConnectionStoreOptions {
  configDir: string;
  logger: Logger;
  /** For the quarantine file's timestamp. */
  now?: () => Date;
}

export interface StoreLoad {
  /** False when there was no file at all: a first launch. */
  fileExisted: boolean;
  notices: ConnectionNotice[];
}

/**
 * The saved connections, kept in `<configDir>/connections.json` and written atomically. A
 * file we cannot understand (corrupt, hand-edited wrongly, written by a newer VirtDeck) is
 * moved aside with a notice and never overwritten; if it cannot be moved, saving stays
 * disabled. Passwords never get here: the schema has no field for them.
 */
export class ConnectionStore {
  readonly file: string;
  private current: readonly SavedConnection[] = [];
  private loading: Promise<StoreLoad> | null = null;
  private blockedReason: string | null = null;
  /** Serialises changes, so each one sees the result of the one before. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ConnectionStoreOptions) {
    this.file = connectionsFilePath(options.configDir);
  }

  /** Reads the file once; later calls get the same result. */
  load(): Promise<StoreLoad> {
    this.loading ??= this.read();
    return this.loading;
  }

  /** The saved connections, in the order the user added them. */
  list(): readonly SavedConnection[] {
    return this.current;
  }

  /**
   * Runs `change` on the current list and writes what it returns (returning the current
   * list itself writes nothing). If `change` throws or the write fails, nothing changes, in
   * memory or on disk, and the error is passed on.
   */
  update<T>(
    change: (current: readonly SavedConnection[]) => {
      next: readonly SavedConnection[];
      result: T;
    },
  ): Promise<T> {
    const run = async (): Promise<T> => {
      await this.load();
      if (this.blockedReason) throw new Error(this.blockedReason);
      const { next, result } = change(this.current);
      if (next === this.current) return result;
      await atomicWriteFile(this.file, formatConnectionsFile(next));
      this.current = next;
      return result;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async read(): Promise<StoreLoad> {
    const read = await readConnectionsFile(this.file);
    if (read.status === 'absent') return { fileExisted: false, notices: [] };
    if (read.status === 'ok') {
      this.current = read.connections;
      return { fileExisted: true, notices: [] };
    }
    return { fileExisted: true, notices: [await this.quarantine(read.problem)] };
  }

  private async quarantine(problem: string): Promise<ConnectionNotice> {
    const { logger } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    // No ':' in the name: Windows forbids it.
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    let target = `${this.file}.corrupt-${stamp}`;
    for (let n = 1; await exists(target); n++) target = `${this.file}.corrupt-${stamp}-${n}`;
    try {
      await rename(this.file, target);
    } catch (err) {
      this.blockedReason =
        `${this.file} is unusable (${problem}) and could not be moved aside, so VirtDeck ` +
        'will not overwrite it; fix or remove it and restart';
      logger.error(this.blockedReason, err);
      return { kind: 'store-blocked', message: this.blockedReason, file: this.file };
    }
    const message =
      `Your saved connections could not be read: ${this.file} is unusable (${problem}). ` +
      `It was moved to ${target} so nothing is lost; VirtDeck starts with no saved connections.`;
    logger.warn(message);
    return { kind: 'store-moved-aside', message, file: this.file, movedTo: target };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
