import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  networkCreateXml,
  networkDefineXml,
  networkDestroy,
  networkGetAutostart,
  networkGetDhcpLeases,
  networkGetXml,
  networkList,
  networkLookup,
  networkSetAutostart,
  networkStart,
  networkUndefine,
  networkUpdate,
  type NetworkRef,
} from '../../../../electron/libvirt/facade/network';
import {
  Cleanup,
  daemon,
  openClient,
  uniqueName,
  virsh,
  virshFails,
  virshFields,
  virshTable,
  virshXml,
} from './facade-fixture';

// test:///default keeps its state while a connection is open (the client stays open).
const { testUri } = daemon();
const cleanup = new Cleanup();
let c: LibvirtClient;

beforeAll(async () => {
  c = await openClient(testUri, cleanup);
});
afterAll(() => cleanup.run());

function networkXml(name: string, uuid: string, bridge: string): string {
  return `<network>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <bridge name='${bridge}'/>
  <ip address='10.77.0.1' netmask='255.255.255.0'>
    <dhcp><range start='10.77.0.10' end='10.77.0.20'/></dhcp>
  </ip>
</network>
`;
}

describe('network facade on test:///default (compared with virsh)', () => {
  const local = new Cleanup();
  afterEach(() => local.run());

  async function defineScratch(): Promise<NetworkRef> {
    const name = uniqueName('vd-net');
    const net = await networkDefineXml(c, networkXml(name, randomUUID(), `vdbr${name.slice(-4)}`));
    local.add(`undefine ${name}`, async () => {
      const now = (await networkList(c)).find((n) => n.uuid === net.uuid);
      if (now?.active) await networkDestroy(c, net);
      if (now) await networkUndefine(c, net);
    });
    return net;
  }

  it('lists what virsh net-list --all and net-info show', async () => {
    const scratch = await defineScratch();
    const ours = await networkList(c);
    const rows = virshTable(await virsh(testUri, ['net-list', '--all']));
    expect(ours.map((n) => n.name).sort()).toEqual(rows.map((r) => r[0]).sort());
    for (const [name, state, autostart, persistent] of rows) {
      const net = ours.find((n) => n.name === name);
      const info = virshFields(await virsh(testUri, ['net-info', name as string]));
      expect(net).toEqual({
        name,
        uuid: info.get('UUID'),
        active: state === 'active',
        autostart: autostart === 'yes',
        persistent: persistent === 'yes',
        ...(info.get('Bridge') ? { bridge: info.get('Bridge') } : {}),
      });
    }
    expect(ours.find((n) => n.name === scratch.name)).toMatchObject({ active: false });
  });

  it('looks networks up by name and UUID; XML equals net-dumpxml', async () => {
    const byName = await networkLookup(c, 'default');
    expect(await networkLookup(c, byName.uuid)).toEqual(byName);
    expect(await networkGetXml(c, byName)).toBe(
      await virshXml(testUri, ['net-dumpxml', 'default']),
    );
    // The flag reaches the daemon: the test driver refuses it exactly as it does for virsh.
    const inactive = await networkGetXml(c, byName, { inactive: true }).catch((e: unknown) => e);
    expect(inactive).toBeInstanceOf(LibvirtError);
    expect(await virshFails(testUri, ['net-dumpxml', '--inactive', 'default'])).toContain(
      (inactive as LibvirtError).message,
    );
    const err = await networkLookup(c, 'vd-no-such-net').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({ codeName: 'VIR_ERR_NO_NETWORK' });
  });

  it('starts, autostarts, destroys and undefines a persistent network', async () => {
    const net = await defineScratch();
    const row = async (): Promise<string[] | undefined> =>
      virshTable(await virsh(testUri, ['net-list', '--all'])).find((r) => r[0] === net.name);
    expect(await row()).toEqual([net.name, 'inactive', 'no', 'yes']);
    await networkStart(c, net);
    await networkSetAutostart(c, net, true);
    expect(await networkGetAutostart(c, net)).toBe(true);
    expect(await row()).toEqual([net.name, 'active', 'yes', 'yes']);
    await networkDestroy(c, net);
    expect(await row()).toEqual([net.name, 'inactive', 'yes', 'yes']);
    await networkUndefine(c, net);
    expect(await row()).toBeUndefined();
  });

  it('creates a transient network that vanishes when destroyed', async () => {
    const name = uniqueName('vd-tnet');
    const net = await networkCreateXml(c, networkXml(name, randomUUID(), 'vdbrt0'));
    const info = virshFields(await virsh(testUri, ['net-info', name]));
    expect(info.get('Active')).toBe('yes');
    expect(info.get('Persistent')).toBe('no');
    await networkDestroy(c, net);
    expect(await virshFails(testUri, ['net-info', name])).toContain('failed to get network');
  });

  it('adds and deletes a DHCP host (command and section reach the daemon right)', async () => {
    const net = await defineScratch();
    await networkStart(c, net);
    const host = "<host mac='52:54:00:12:34:56' name='vdhost' ip='10.77.0.15'/>";
    await networkUpdate(c, net, {
      command: 'add-last',
      section: 'ip-dhcp-host',
      xml: host,
      live: true,
      config: true,
    });
    expect(await virsh(testUri, ['net-dumpxml', net.name])).toContain(host);
    await networkUpdate(c, net, {
      command: 'delete',
      section: 'ip-dhcp-host',
      xml: host,
      live: true,
      config: true,
    });
    expect(await virsh(testUri, ['net-dumpxml', net.name])).not.toContain('vdhost');
    // A section that does not fit the command is refused by the daemon, not by us.
    const wrong = await networkUpdate(c, net, {
      command: 'add-last',
      section: 'ip',
      xml: "<ip address='10.78.0.1'/>",
      live: true,
    }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ codeName: 'VIR_ERR_OPERATION_UNSUPPORTED' });
    expect((wrong as LibvirtError).message).toContain("can't update 'ip' section");
    await expect(
      networkUpdate(c, net, { command: 'add-last', section: 'nope' as 'ip', xml: host }),
    ).rejects.toThrow(TypeError);
  });

  it('DHCP leases: the test driver refuses, with the error virsh shows', async () => {
    // No dnsmasq-backed network can run here (no system daemon); the refusal must still be
    // libvirt's own error, never an empty list.
    const net = await networkLookup(c, 'default');
    const err = await networkGetDhcpLeases(c, net).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({ codeName: 'VIR_ERR_NO_SUPPORT' });
    expect(await virshFails(testUri, ['net-dhcp-leases', 'default'])).toContain(
      (err as LibvirtError).message,
    );
  });
});
