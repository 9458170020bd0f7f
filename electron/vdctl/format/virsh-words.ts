// The words virsh prints for libvirt's enums, indexed by the enum value. Output that scripts
// parse must say exactly what virsh says, so these are kept as virsh 9.0 spells them.

/** virDomainState → `list`/`dominfo` State column. */
const DOMAIN_STATES = [
  'no state',
  'running',
  'idle',
  'paused',
  'in shutdown',
  'shut off',
  'crashed',
  'pmsuspended',
];

export function domainStateWord(state: number): string {
  return DOMAIN_STATES[state] ?? 'no state';
}

/** virDomainEventType → first word of a lifecycle event line. */
const EVENT_TYPES = [
  'Defined',
  'Undefined',
  'Started',
  'Suspended',
  'Resumed',
  'Stopped',
  'Shutdown',
  'PMSuspended',
  'Crashed',
];

/** Detail words per event type (virDomainEvent<Type>DetailType). */
const EVENT_DETAILS: readonly (readonly string[])[] = [
  ['Added', 'Updated', 'Renamed', 'Snapshot'],
  ['Removed', 'Renamed'],
  ['Booted', 'Migrated', 'Restored', 'Snapshot', 'Event wakeup'],
  [
    'Paused',
    'Migrated',
    'I/O Error',
    'Watchdog',
    'Restored',
    'Snapshot',
    'API error',
    'Post-copy',
    'Post-copy Error',
  ],
  ['Unpaused', 'Migrated', 'Snapshot', 'Post-copy', 'Post-copy Error'],
  ['Shutdown', 'Destroyed', 'Crashed', 'Migrated', 'Saved', 'Failed', 'Snapshot'],
  ['Finished', 'Finished after guest request', 'Finished after host request'],
  ['Memory', 'Disk'],
  ['Panicked', 'Crashloaded'],
];

export function lifecycleEventWords(event: number, detail: number): [string, string] {
  return [EVENT_TYPES[event] ?? 'unknown', EVENT_DETAILS[event]?.[detail] ?? 'unknown'];
}

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/**
 * virsh's name order (g_ascii_strcasecmp): ASCII letters compare without case, everything
 * else by code unit, so `list --all` rows come out in the same order as virsh's.
 */
export function compareNames(a: string, b: string): number {
  const lower = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  const x = lower(a);
  const y = lower(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
