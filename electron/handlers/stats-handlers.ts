import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type StatsChannel =
  'stats:subscribe' | 'stats:unsubscribe' | 'stats:history' | 'stats:latest' | 'host:stats';

/** Handlers for statistics: history for graphs, and per-VM detail subscriptions. */
export function createStatsHandlers(
  services: Pick<Services, 'stats'>,
): HandlerTablePart<StatsChannel> {
  const { stats } = services;
  return {
    // Keyed by caller, so one window closing its graph does not end another's.
    'stats:subscribe': async (target, ctx) => stats.subscribe(target, ctx.caller),
    'stats:unsubscribe': async (target, ctx) => stats.unsubscribe(target, ctx.caller),
    'stats:history': async ({ connectionId, uuid, range }) =>
      stats.history({ connectionId, uuid }, range),
    'stats:latest': async () => stats.latest(),
    'host:stats': async ({ connectionId, range }) => stats.hostHistory(connectionId, range),
  };
}
