import type { SecretKind, SecretStore } from './secret-store';

/**
 * Secrets held for this run only (plain Node, the web host, or no OS keyring): the user is
 * asked again after a restart, and nothing is written anywhere.
 */
export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  private readonly secrets = new Map<string, string>();

  async get(connectionId: string, kind: SecretKind): Promise<string | undefined> {
    return this.secrets.get(keyOf(connectionId, kind));
  }

  async set(connectionId: string, kind: SecretKind, secret: string): Promise<void> {
    this.secrets.set(keyOf(connectionId, kind), secret);
  }

  async delete(connectionId: string, kind?: SecretKind): Promise<void> {
    for (const k of kind ? [kind] : (['password', 'passphrase'] as const)) {
      this.secrets.delete(keyOf(connectionId, k));
    }
  }
}

function keyOf(connectionId: string, kind: SecretKind): string {
  return `${connectionId}\n${kind}`;
}
