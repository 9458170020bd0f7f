import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Screenshots taken with snapshots, kept in our config folder (never in libvirt's XML):
 * `snapshot-thumbnails/<connection id>/<VM UUID>/<snapshot name, base64url>.png`. The name
 * is encoded so any snapshot name makes one safe file name.
 */
export class SnapshotThumbnails {
  private readonly root: string;

  constructor(configDir: string) {
    this.root = path.join(configDir, 'snapshot-thumbnails');
  }

  private dir(connectionId: string, uuid: string): string {
    // Both are validated UUIDs at the border; refuse anything else rather than trust it.
    for (const part of [connectionId, uuid]) {
      if (!/^[0-9a-f-]{36}$/i.test(part)) throw new TypeError(`not a UUID: ${part}`);
    }
    return path.join(this.root, connectionId.toLowerCase(), uuid.toLowerCase());
  }

  private file(connectionId: string, uuid: string, name: string): string {
    return path.join(
      this.dir(connectionId, uuid),
      `${Buffer.from(name, 'utf8').toString('base64url')}.png`,
    );
  }

  async save(connectionId: string, uuid: string, name: string, png: Buffer): Promise<void> {
    const file = this.file(connectionId, uuid, name);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside and renamed: a reader never sees half a picture.
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, png, { mode: 0o600 });
    await rename(temp, file);
  }

  /** null when none was stored. */
  async read(connectionId: string, uuid: string, name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(connectionId, uuid, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** The snapshot names of a VM that have a thumbnail. */
  async names(connectionId: string, uuid: string): Promise<Set<string>> {
    let files: string[];
    try {
      files = await readdir(this.dir(connectionId, uuid));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
      throw err;
    }
    return new Set(
      files
        .filter((f) => f.endsWith('.png'))
        .map((f) => Buffer.from(f.slice(0, -4), 'base64url').toString('utf8')),
    );
  }

  async remove(connectionId: string, uuid: string, names: readonly string[]): Promise<void> {
    for (const name of names) await rm(this.file(connectionId, uuid, name), { force: true });
  }
}
