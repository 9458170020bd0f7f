import { homedir } from 'node:os';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import { ConsoleActions } from './console-actions';
import { ConsoleService } from './console-service';
import { connectionHostLinks, type ConnectionLookup } from './host-links';

/** The console service and the actions beside it, as the services bundle holds them. */
export interface Consoles {
  readonly service: ConsoleService;
  readonly actions: ConsoleActions;
  dispose(): void;
}

export interface ConsolesConfig {
  connections: ConnectionLookup;
  events: EventHub;
  logger: Logger;
  /** The same home/environment the connections use (their ~/.ssh/config and agent). */
  local?: { home?: string; env?: Readonly<Record<string, string | undefined>> };
  sshConfigPath?: string;
}

export function createConsoles(config: ConsolesConfig): Consoles {
  const links = connectionHostLinks({
    connections: config.connections,
    home: config.local?.home ?? homedir(),
    env: config.local?.env ?? process.env,
    ...(config.sshConfigPath !== undefined ? { sshConfigPath: config.sshConfigPath } : {}),
  });
  const service = new ConsoleService({ links, events: config.events, logger: config.logger });
  const actions = new ConsoleActions(service, config.logger);
  return {
    service,
    actions,
    dispose: () => {
      actions.dispose();
      service.dispose();
    },
  };
}
