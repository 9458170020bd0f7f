import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../services/logger';
import { atomicWriteFile } from '../services/atomic-write-file';

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

const FILE = 'console-windows.json';
/** Forgotten beyond this many VMs, oldest first: a file that only grows is a slow leak. */
const MAX_ENTRIES = 200;

/**
 * Where each VM's detached console window was, per connection and UUID, so it opens there
 * again. A missing or broken file just means default placement.
 */
export class ConsoleWindowBounds {
  private entries: Map<string, WindowBounds> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly configDir: string,
    private readonly logger: Logger,
  ) {}

  static key(connectionId: string, uuid: string): string {
    return `${connectionId}/${uuid}`;
  }

  async get(key: string): Promise<WindowBounds | null> {
    return (await this.load()).get(key) ?? null;
  }

  async set(key: string, bounds: WindowBounds): Promise<void> {
    if (!isBounds(bounds)) return;
    const entries = await this.load();
    entries.delete(key);
    entries.set(key, bounds);
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    const text = `${JSON.stringify({ version: 1, windows: Object.fromEntries(entries) }, null, 2)}\n`;
    this.writing = this.writing
      .then(() => atomicWriteFile(path.join(this.configDir, FILE), text))
      .catch((err: unknown) => this.logger.error('Could not remember the console window', err));
    await this.writing;
  }

  private async load(): Promise<Map<string, WindowBounds>> {
    if (this.entries) return this.entries;
    const entries = new Map<string, WindowBounds>();
    try {
      const parsed = JSON.parse(await readFile(path.join(this.configDir, FILE), 'utf8')) as {
        windows?: Record<string, unknown>;
      };
      for (const [key, value] of Object.entries(parsed.windows ?? {})) {
        if (isBounds(value)) entries.set(key, value);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger.warn(`${FILE} could not be read; console windows open at default places`);
      }
    }
    this.entries = entries;
    return entries;
  }
}

function isBounds(value: unknown): value is WindowBounds {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  const int = (v: unknown, min: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 100_000;
  return int(b.x, -100_000) && int(b.y, -100_000) && int(b.width, 200) && int(b.height, 150);
}
