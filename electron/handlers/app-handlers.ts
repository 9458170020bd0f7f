import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

/** Handlers for the app itself: what it is, and the user's preferences. */
export function createAppHandlers(
  services: Pick<Services, 'appInfo' | 'preferences'>,
): HandlerTablePart<'app:info' | 'prefs:get' | 'prefs:set'> {
  const { appInfo, preferences } = services;
  return {
    'app:info': async () => ({ ...appInfo }),
    'prefs:get': async () => preferences.get(),
    'prefs:set': async (patch) => preferences.set(patch),
  };
}
