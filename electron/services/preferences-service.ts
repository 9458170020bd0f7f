import { access, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defaultPreferences, preferencesSchema } from '../../shared/contract/app';
import type { Preferences } from '../../shared/contract/app';
import { atomicWriteFile } from './atomic-write-file';
import type { EventHub } from './event-hub';
import type { Logger } from './logger';

export const PREFERENCES_FILE = 'preferences.json';
/** Bumped when the file's shape changes incompatibly; older files then get migrated here. */
export const PREFERENCES_FILE_VERSION = 1;

const fileSchema = z
  .object({ version: z.literal(PREFERENCES_FILE_VERSION), preferences: preferencesSchema })
  .strict();

export interface PreferencesServiceOptions {
  configDir: string;
  events: EventHub;
  logger: Logger;
  /** For the quarantine file's timestamp. */
  now?: () => Date;
}

/**
 * The user's preferences (theme, language), kept in `<configDir>/preferences.json` as
 * `{ "version": 1, "preferences": { … } }`. A file we cannot understand is moved aside with
 * a logged message and defaults are used — it is never silently overwritten, so a file
 * written by a newer VirtDeck or edited by hand is still there to recover.
 */
export class PreferencesService {
  readonly file: string;
  private current: Preferences = { ...defaultPreferences };
  private loading: Promise<void> | null = null;
  /** Set when a file we could not understand could not be moved aside either. */
  private blockedReason: string | null = null;
  /** Serialises writes so the file always ends with the last accepted change. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PreferencesServiceOptions) {
    this.file = path.join(options.configDir, PREFERENCES_FILE);
  }

  /** Reads the file once; later calls wait for the same read. */
  load(): Promise<void> {
    this.loading ??= this.read();
    return this.loading;
  }

  async get(): Promise<Preferences> {
    await this.load();
    return { ...this.current };
  }

  /**
   * Applies `patch` (already validated), writes the file and emits 'prefs:changed'. When the
   * write fails nothing changes, in memory or on disk, and the error is thrown as it is.
   */
  set(patch: Partial<Preferences>): Promise<Preferences> {
    const run = () => this.apply(patch);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async apply(patch: Partial<Preferences>): Promise<Preferences> {
    await this.load();
    if (this.blockedReason) throw new Error(this.blockedReason);
    const next: Preferences = { ...this.current };
    for (const [key, value] of Object.entries(patch) as [keyof Preferences, unknown][]) {
      if (value !== undefined) Object.assign(next, { [key]: value });
    }
    const changed = (Object.keys(next) as (keyof Preferences)[]).some(
      (key) => next[key] !== this.current[key],
    );
    if (!changed) return { ...this.current };
    const body = { version: PREFERENCES_FILE_VERSION, preferences: next };
    await atomicWriteFile(this.file, `${JSON.stringify(body, null, 2)}\n`);
    this.current = next;
    this.options.events.emit('prefs:changed', { ...next });
    return { ...next };
  }

  private async read(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.logger.error(`Cannot read ${this.file}; using default preferences`, err);
      }
      return;
    }
    const problem = this.problemWith(text);
    if (problem === null) return;
    await this.quarantine(problem);
  }

  /** Returns why the file is unusable, or null after taking its preferences. */
  private problemWith(text: string): string | null {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return `it is not valid JSON (${(err as Error).message})`;
    }
    const version = (data as { version?: unknown } | null)?.version;
    if (typeof data !== 'object' || data === null || typeof version !== 'number') {
      return 'it has no numeric "version" field';
    }
    if (version !== PREFERENCES_FILE_VERSION) {
      return `it has version ${version}, and this VirtDeck understands version ${PREFERENCES_FILE_VERSION}`;
    }
    const parsed = fileSchema.safeParse(data);
    if (!parsed.success) return `its content is invalid (${z.prettifyError(parsed.error)})`;
    this.current = parsed.data.preferences;
    return null;
  }

  private async quarantine(problem: string): Promise<void> {
    const { logger } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    // No ':' in the name: Windows forbids it.
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    let target = `${this.file}.corrupt-${stamp}`;
    for (let n = 1; await exists(target); n++) target = `${this.file}.corrupt-${stamp}-${n}`;
    try {
      await rename(this.file, target);
    } catch (err) {
      this.blockedReason = `${this.file} is unusable (${problem}) and could not be moved aside, so VirtDeck will not overwrite it; fix or remove it and restart`;
      logger.error(this.blockedReason, err);
      return;
    }
    logger.warn(
      `Ignoring ${this.file}: ${problem}. It was moved to ${target}; using default preferences.`,
    );
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
