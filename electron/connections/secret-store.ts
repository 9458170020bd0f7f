/** Which secret of a connection: its SSH password or its private key's passphrase. */
export type SecretKind = 'password' | 'passphrase';

/**
 * Where connection secrets live — never in connections.json. `persistent` says whether a
 * secret survives a restart (encrypted by the OS keyring) or is asked again next run.
 */
export interface SecretStore {
  readonly persistent: boolean;
  get(connectionId: string, kind: SecretKind): Promise<string | undefined>;
  set(connectionId: string, kind: SecretKind, secret: string): Promise<void>;
  delete(connectionId: string, kind?: SecretKind): Promise<void>;
}
