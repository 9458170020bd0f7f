import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ProvidedLibvirtd } from '../../harness/provided';
import { runVirsh } from '../../harness/run-virsh';
import { firmwareVncGuestXml } from '../../harness/test-guests';

/**
 * The host side of a VM test: what an administrator does with virsh next to VirtDeck on
 * the harness's private daemon (never app code). Every guest it defines is destroyed and
 * undefined (with its storage) by `cleanUp`.
 */
export class VmHarness {
  private readonly guests = new Set<string>();
  private readonly pools = new Set<string>();

  constructor(readonly daemon: ProvidedLibvirtd) {}

  async virsh(...args: string[]): Promise<string> {
    const result = await runVirsh(this.daemon.qemuUri, args);
    if (result.code !== 0) {
      throw new Error(`virsh ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
    }
    return result.stdout;
  }

  /** `virsh domstate`, e.g. "running", "paused", "shut off". */
  async domstate(name: string): Promise<string> {
    return (await this.virsh('domstate', name)).trim();
  }

  /** Defines a firmware-only VNC guest (SeaBIOS, ~1 s to boot under TCG), shut off. */
  async defineGuest(
    name: string,
    options: { disk?: string; title?: string } = {},
  ): Promise<string> {
    const uuid = randomUUID();
    let xml = firmwareVncGuestXml({ name, uuid });
    if (options.disk) {
      const disk = `    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${options.disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
`;
      xml = xml.replace('  <devices>\n', `  <devices>\n${disk}`);
    }
    const file = path.join(this.daemon.dir, `${name}.xml`);
    await writeFile(file, xml, { mode: 0o644 });
    this.guests.add(name);
    await this.virsh('define', file);
    if (options.title) await this.virsh('desc', name, '--config', '--title', options.title);
    return uuid;
  }

  /** A directory pool in the daemon's folder, started. */
  async definePool(name: string): Promise<string> {
    const target = path.join(this.daemon.dir, name);
    await mkdir(target, { recursive: true });
    // The daemon runs as its own user: it must be able to write the pool's folder.
    await chmod(target, 0o777);
    this.pools.add(name);
    await this.virsh('pool-define-as', name, 'dir', '--target', target);
    await this.virsh('pool-start', name);
    return target;
  }

  /** A qcow2 volume in `pool`; returns its path. */
  async createVolume(pool: string, volume: string): Promise<string> {
    await this.virsh('vol-create-as', pool, volume, '16M', '--format', 'qcow2');
    return (await this.virsh('vol-path', '--pool', pool, volume)).trim();
  }

  async volumes(pool: string): Promise<string[]> {
    const out = await this.virsh('vol-list', pool);
    return out
      .split('\n')
      .slice(2)
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean);
  }

  /** Whether libvirt still knows a domain of this name. */
  async exists(name: string): Promise<boolean> {
    return (await runVirsh(this.daemon.qemuUri, ['domuuid', name])).code === 0;
  }

  /** The managed-save image of a session-daemon guest (under the daemon's XDG config). */
  managedSavePath(name: string): string {
    return path.join(this.daemon.dir, 'config', 'libvirt', 'qemu', 'save', `${name}.save`);
  }

  /** Forgets a guest this test defined (when the test itself removed it). */
  forget(name: string): void {
    this.guests.delete(name);
  }

  async cleanUp(): Promise<void> {
    for (const name of this.guests) {
      await runVirsh(this.daemon.qemuUri, ['destroy', name]);
      await runVirsh(this.daemon.qemuUri, ['undefine', name, '--managed-save', '--nvram']);
    }
    this.guests.clear();
    for (const pool of this.pools) {
      const volumes = await this.volumes(pool).catch(() => []);
      for (const volume of volumes)
        await runVirsh(this.daemon.qemuUri, ['vol-delete', '--pool', pool, volume]);
      await runVirsh(this.daemon.qemuUri, ['pool-destroy', pool]);
      await runVirsh(this.daemon.qemuUri, ['pool-undefine', pool]);
    }
    this.pools.clear();
  }
}
