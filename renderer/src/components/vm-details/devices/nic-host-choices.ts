import type { HostInterface } from '../../../../../shared/contract';

/** One host interface offered in a NIC source field: its name and what to show beside it. */
export interface HostInterfaceChoice {
  value: string;
  detail: string;
}

// The loopback device reports an all-zero MAC; nothing can attach a guest to it.
const isLoopback = (i: HostInterface): boolean => i.mac === '00:00:00:00:00:00';

function detail(i: HostInterface, extra: string[] = []): string {
  return [i.link ?? (i.active === null ? null : i.active ? 'up' : 'down'), i.mac, ...extra]
    .filter((p): p is string => !!p)
    .join(' · ');
}

/** The host's bridges for a bridged NIC, with their ports. */
export function bridgeChoices(list: readonly HostInterface[]): HostInterfaceChoice[] {
  return list
    .filter((i) => i.bridge === true)
    .map((i) => ({
      value: i.name,
      detail: detail(i, i.members.length ? [i.members.join(', ')] : []),
    }));
}

/**
 * Interfaces a macvtap NIC can sit on: not the loopback, and not a bridge (a guest on a
 * bridge joins it as a bridged NIC instead).
 */
export function directChoices(list: readonly HostInterface[]): HostInterfaceChoice[] {
  return list
    .filter((i) => !isLoopback(i) && i.bridge !== true)
    .map((i) => ({ value: i.name, detail: detail(i) }));
}
