import type { Preferences } from './app';

/** Events pushed from the main process to every renderer, by name. */
export interface EventMap {
  'prefs:changed': Preferences;
}

export type EventName = keyof EventMap;

export interface EventEnvelope<E extends EventName = EventName> {
  name: E;
  payload: EventMap[E];
}

export const eventNames: readonly EventName[] = ['prefs:changed'];
