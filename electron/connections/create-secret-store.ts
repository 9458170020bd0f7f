import type { Logger } from '../services/logger';
import { EncryptedSecretStore, type SecretCipher } from './encrypted-secret-store';
import { MemorySecretStore } from './memory-secret-store';
import type { SecretStore } from './secret-store';

/**
 * The encrypted store when the host offers a real OS keyring (Electron's safeStorage),
 * otherwise secrets are kept for this run only and asked again after a restart.
 */
export async function createSecretStore(
  configDir: string,
  cipher: SecretCipher | undefined,
  logger: Logger,
): Promise<SecretStore> {
  if (!cipher) return new MemorySecretStore();
  let available = false;
  try {
    available = await cipher.isAvailable();
  } catch (err) {
    logger.warn(`The OS keyring cannot be used: ${(err as Error).message}`);
  }
  if (!available) {
    logger.info('No OS keyring encryption: passwords are asked for each time VirtDeck starts');
    return new MemorySecretStore();
  }
  return new EncryptedSecretStore(configDir, cipher, logger);
}
