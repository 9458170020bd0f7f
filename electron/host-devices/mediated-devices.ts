import type { MdevList, MdevParent, MediatedDevice } from '../../shared/contract/host-devices';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { nodeDeviceGetXml, nodeListDevices } from '../libvirt/facade/node';
import { VIR_ERR_NO_NODE_DEVICE, VIR_ERR_NO_SUPPORT } from '../libvirt/protocol/constants.gen';
import { mdevDefinitionXml, readMdevParent, readMediatedDevice } from './mdev-xml';

/** libvirt 7.3.0 added persistent mediated devices (virNodeDeviceDefineXML, virNodeDeviceCreate). */
const DEFINE_MDEV_SINCE = 7_003_000;

/** The device's XML, or null when it went away between the list and the read. */
async function xmlUnlessGone(c: LibvirtClient, name: string): Promise<string | null> {
  try {
    return await nodeDeviceGetXml(c, name);
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_NODE_DEVICE)) return null;
    throw err;
  }
}

/** Drivers without virNodeDeviceIsActive (the test driver, daemons before 7.8) cannot say. */
async function isActive(c: LibvirtClient, name: string): Promise<boolean | null> {
  try {
    return (await c.remote.nodeDeviceIsActive({ name })).active !== 0;
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_SUPPORT)) return null;
    throw err;
  }
}

function deviceApiOf(
  parents: readonly MdevParent[],
  parent: string | null,
  typeId: string,
): string | null {
  const type = parents.find((p) => p.name === parent)?.types.find((t) => t.id === typeId);
  return type?.deviceApi ?? null;
}

async function readDevice(
  c: LibvirtClient,
  name: string,
  parents: readonly MdevParent[],
): Promise<MediatedDevice | null> {
  const xml = await xmlUnlessGone(c, name);
  const device = xml === null ? null : readMediatedDevice(xml);
  if (!device) return null;
  return {
    ...device,
    deviceApi: deviceApiOf(parents, device.parent, device.typeId),
    active: await isActive(c, name),
  };
}

/** mdev-capable parents and mediated devices (listed without ACTIVE/INACTIVE: both kinds). */
export async function listMediatedDevices(c: LibvirtClient): Promise<MdevList> {
  const [parentNames, deviceNames] = await Promise.all([
    nodeListDevices(c, { cap: 'mdev-types' }),
    nodeListDevices(c, { cap: 'mdev' }),
  ]);
  const parents = (
    await Promise.all(
      parentNames.map(async (n) => {
        const xml = await xmlUnlessGone(c, n);
        return xml === null ? null : readMdevParent(xml);
      }),
    )
  ).filter((p): p is MdevParent => p !== null);
  const devices = (await Promise.all(deviceNames.map((n) => readDevice(c, n, parents)))).filter(
    (d): d is MediatedDevice => d !== null,
  );
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { parents: parents.sort(byName), devices: devices.sort(byName) };
}

/**
 * A new mediated device, as the RHEL guides make one with `virsh nodedev-define` and
 * `nodedev-start`: persistent where libvirt can define it, so it outlives the VM's start.
 */
export async function createMediatedDevice(
  c: LibvirtClient,
  input: { parent: string; typeId: string; uuid: string },
): Promise<MediatedDevice> {
  const xml = mdevDefinitionXml(input.parent, input.typeId, input.uuid);
  let name: string;
  if (c.libVersion >= DEFINE_MDEV_SINCE) {
    name = (await c.remote.nodeDeviceDefineXml({ xml_desc: xml, flags: 0 })).dev.name;
    try {
      await c.remote.nodeDeviceCreate({ name, flags: 0 });
    } catch (err) {
      // A definition that cannot start is not what the user asked for: take it back.
      await c.remote.nodeDeviceUndefine({ name, flags: 0 }).catch(() => undefined);
      throw err;
    }
  } else {
    name = (await c.remote.nodeDeviceCreateXml({ xml_desc: xml, flags: 0 })).dev.name;
  }
  const { parents } = await listMediatedDevices(c);
  const device = await readDevice(c, name, parents);
  if (!device) throw new Error(`libvirt created ${name} but does not describe it as an mdev`);
  return device;
}
