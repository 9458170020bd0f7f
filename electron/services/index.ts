import type { AppInfo, HostKind } from '../../shared/contract/app';
import { appIdentity } from '../config/app-identity';
import { EventHub } from './event-hub';
import type { Logger } from './logger';
import { PreferencesService } from './preferences-service';

export interface ServicesConfig {
  hostKind: HostKind;
  /** See config/config-dir.ts; created on first write. */
  configDir: string;
  logger: Logger;
}

export interface Services {
  readonly config: ServicesConfig;
  readonly logger: Logger;
  readonly events: EventHub;
  readonly preferences: PreferencesService;
  readonly appInfo: AppInfo;
  /** Releases what the services hold (connections, timers) before the host exits. */
  dispose(): Promise<void>;
}

/**
 * Builds every main-process service, each given what it needs through its constructor. The
 * one place both hosts (Electron, web) and integration tests wire the app: no singletons.
 */
export async function createServices(config: ServicesConfig): Promise<Services> {
  const { logger } = config;
  const events = new EventHub(logger);
  const preferences = new PreferencesService({ configDir: config.configDir, events, logger });
  // Read now so a bad preferences file is reported at start-up, not at first use.
  await preferences.load();
  return {
    config,
    logger,
    events,
    preferences,
    appInfo: { ...appIdentity, hostKind: config.hostKind, platform: process.platform },
    dispose: async () => {},
  };
}
