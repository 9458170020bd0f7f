import type { HostInterface } from '../../shared/contract/host-devices';
import type { InterfaceDescription, NetNodeDevice } from './host-interface-xml';

/** An interface backend entry: its list state plus what its XML says. */
export interface DescribedInterface extends InterfaceDescription {
  active: boolean;
}

/**
 * One entry per interface name from either source. Node devices give the MAC and link
 * (the backend may not know them); the interface backend alone knows bridges and their
 * ports, so `bridge` stays null when it did not answer.
 */
export function mergeHostInterfaces(
  nodeDevices: readonly NetNodeDevice[] | null,
  described: readonly DescribedInterface[] | null,
): HostInterface[] {
  const byName = new Map<string, HostInterface>();
  for (const d of nodeDevices ?? []) {
    byName.set(d.interface, {
      name: d.interface,
      mac: d.mac,
      link: d.link,
      speedMbps: d.speedMbps,
      active: null,
      type: null,
      bridge: null,
      members: [],
    });
  }
  for (const i of described ?? []) {
    const known = byName.get(i.name);
    byName.set(i.name, {
      name: i.name,
      mac: known?.mac ?? i.mac,
      link: known?.link ?? i.link,
      speedMbps: known?.speedMbps ?? null,
      active: i.active,
      type: i.type,
      bridge: i.type === 'bridge',
      members: i.members,
    });
  }
  // Interfaces the backend does not list are not bridges it knows of, once it answered.
  if (described) {
    for (const entry of byName.values()) entry.bridge ??= false;
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
