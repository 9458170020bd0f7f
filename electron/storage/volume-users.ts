import { listDevicesOfKind, parseXml, readDisk } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { domainGetXml, domainIsActive, domainList } from '../libvirt/facade/domain';
import { VIR_ERR_NO_DOMAIN } from '../libvirt/protocol/constants.gen';

export interface VolumeUser {
  name: string;
  running: boolean;
}

/**
 * Which VMs reference each disk path (file/block sources, and pool+volume sources), read from
 * the live definition of running VMs and the persistent one of the others.
 */
export async function volumeUsers(
  c: LibvirtClient,
): Promise<{ byPath: Map<string, VolumeUser[]>; byPoolVolume: Map<string, VolumeUser[]> }> {
  const byPath = new Map<string, VolumeUser[]>();
  const byPoolVolume = new Map<string, VolumeUser[]>();
  const add = (map: Map<string, VolumeUser[]>, key: string, user: VolumeUser): void => {
    const users = map.get(key) ?? [];
    if (!users.some((u) => u.name === user.name)) users.push(user);
    map.set(key, users);
  };
  for (const dom of await domainList(c)) {
    let running: boolean;
    let xml: string;
    try {
      running = await domainIsActive(c, dom);
      xml = await domainGetXml(c, dom);
    } catch (err) {
      // Undefined between the listing and now: it uses nothing any more.
      if (isLibvirtError(err) && err.code === VIR_ERR_NO_DOMAIN) continue;
      throw err;
    }
    const doc = parseXml(xml);
    for (const entry of listDevicesOfKind(doc, 'disk')) {
      const source = readDisk(entry.element).source;
      const user = { name: dom.name, running };
      const path = source?.file ?? source?.dev;
      if (path) add(byPath, path, user);
      if (source?.pool && source.volume) add(byPoolVolume, `${source.pool}/${source.volume}`, user);
    }
  }
  return { byPath, byPoolVolume };
}
