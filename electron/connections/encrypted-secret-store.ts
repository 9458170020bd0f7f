import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { atomicWriteFile } from '../services/atomic-write-file';
import type { Logger } from '../services/logger';
import type { SecretKind, SecretStore } from './secret-store';

/** The OS keyring's string encryption (Electron's safeStorage, adapted in main.ts). */
export interface SecretCipher {
  /** False when only a fixed, guessable key is available (e.g. Linux without a keyring). */
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Uint8Array>;
  decrypt(encrypted: Uint8Array): Promise<string>;
}

export const SECRETS_FILE = 'connection-secrets.bin';
const SECRETS_VERSION = 1;

const secretsSchema = z
  .object({
    version: z.literal(SECRETS_VERSION),
    secrets: z.record(
      z.string(),
      z.object({ password: z.string().optional(), passphrase: z.string().optional() }).strict(),
    ),
  })
  .strict();
type SecretsBody = z.infer<typeof secretsSchema>;

/**
 * Remembered passwords and passphrases, encrypted as one blob by the OS keyring in their
 * own file beside connections.json. A blob that cannot be decrypted (another user's
 * keyring, a reset keyring) is moved aside: the secrets are then simply asked again.
 */
export class EncryptedSecretStore implements SecretStore {
  readonly persistent = true;
  readonly file: string;
  private body: SecretsBody['secrets'] | null = null;
  private loading: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    configDir: string,
    private readonly cipher: SecretCipher,
    private readonly logger: Logger,
  ) {
    this.file = path.join(configDir, SECRETS_FILE);
  }

  async get(connectionId: string, kind: SecretKind): Promise<string | undefined> {
    await this.load();
    return this.body?.[connectionId]?.[kind];
  }

  set(connectionId: string, kind: SecretKind, secret: string): Promise<void> {
    return this.change((secrets) => {
      secrets[connectionId] = { ...secrets[connectionId], [kind]: secret };
    });
  }

  delete(connectionId: string, kind?: SecretKind): Promise<void> {
    return this.change((secrets) => {
      const entry = secrets[connectionId];
      if (!entry) return false;
      if (kind) delete entry[kind];
      if (!kind || Object.keys(entry).length === 0) delete secrets[connectionId];
      return true;
    });
  }

  /** Applies `edit` to a copy and writes it; `false` from edit means nothing changed. */
  private change(edit: (secrets: SecretsBody['secrets']) => boolean | void): Promise<void> {
    const run = async (): Promise<void> => {
      await this.load();
      const next = structuredClone(this.body ?? {});
      if (edit(next) === false) return;
      const body: SecretsBody = { version: SECRETS_VERSION, secrets: next };
      await atomicWriteFile(this.file, await this.cipher.encrypt(JSON.stringify(body)));
      this.body = next;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private load(): Promise<void> {
    this.loading ??= this.read();
    return this.loading;
  }

  private async read(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger.error(`Cannot read ${this.file}; remembered passwords are not available`, err);
      }
      this.body = {};
      return;
    }
    try {
      this.body = secretsSchema.parse(JSON.parse(await this.cipher.decrypt(bytes))).secrets;
    } catch (err) {
      const target = `${this.file}.unreadable-${Date.now()}`;
      await rename(this.file, target).catch(() => undefined);
      this.logger.warn(
        `Remembered passwords in ${this.file} cannot be decrypted (${(err as Error).message}); ` +
          `moved to ${target}. VirtDeck will ask for them again.`,
      );
      this.body = {};
    }
  }
}
