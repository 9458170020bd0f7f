import type { Services } from '../services';
import { createAppHandlers } from './app-handlers';
import { HandlerRegistry } from './handler-registry';
import type { HandlerTable } from './handler-registry';

/** Every area's handlers in one table; the type rejects a channel left out. */
export function createHandlerTable(services: Services): HandlerTable {
  return {
    ...createAppHandlers(services),
  };
}

export function createHandlerRegistry(services: Services): HandlerRegistry {
  return new HandlerRegistry(createHandlerTable(services), services.logger);
}
