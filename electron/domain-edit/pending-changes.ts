import type { PendingChange } from '../../shared/contract/domain-edit';
import {
  findElement,
  getAttribute,
  listDevices,
  readCpu,
  readCputune,
  readDisk,
  readDomainOverview,
  readFirmware,
  readGraphics,
  readInterface,
  readMemory,
  readMemoryBacking,
  readOsBoot,
  readVcpu,
  type XmlDocument,
  type XmlElement,
} from '../../shared/xml';

interface Facet {
  label: string;
  reason: string;
  value: string;
}

const AFTER_SHUTDOWN = 'Takes effect after the next shutdown';

/** What identifies a device's configuration, without run-time additions (alias, port, tty). */
function deviceSignature(el: XmlElement): string {
  switch (el.name) {
    case 'disk': {
      const d = readDisk(el);
      const s = d.source;
      // A running empty drive keeps a path-less `<source index>`: empty either way.
      const source =
        (s && (s.file ?? s.dev ?? s.dir ?? (s.volume ? `${s.pool}/${s.volume}` : s.name))) ??
        '(empty)';
      return `${d.device} ${source} bus=${d.target.bus ?? ''}${d.readonly ? ' readonly' : ''}`;
    }
    case 'interface': {
      const n = readInterface(el);
      const source = n.source.network ?? n.source.bridge ?? n.source.dev ?? '';
      return `${n.type ?? ''} ${source} model=${n.model ?? ''} link=${n.linkState ?? 'up'}`;
    }
    case 'graphics': {
      const g = readGraphics(el);
      const port = g.autoport === false ? ` port=${g.port ?? ''}` : '';
      const listen = g.listens[0]?.address ?? g.listens[0]?.type ?? '';
      return `${g.type ?? ''} listen=${listen}${port} keymap=${g.keymap ?? ''}${g.passwd ? ' password' : ''}`;
    }
    default:
      return '';
  }
}

const DEVICE_LABEL: Readonly<Record<string, string>> = {
  disk: 'Disk',
  interface: 'NIC',
  graphics: 'Display',
  hostdev: 'Host device',
  controller: 'Controller',
};

/** The parts a running VM and its persistent definition are compared by. */
function facets(doc: XmlDocument): Map<string, Facet> {
  const out = new Map<string, Facet>();
  const put = (part: string, label: string, value: string, reason = AFTER_SHUTDOWN): void => {
    out.set(part, { label, reason, value });
  };
  const overview = readDomainOverview(doc);
  put('title', 'Title', overview.title ?? '');
  put('description', 'Description', overview.description ?? '');
  const vcpu = readVcpu(doc);
  put(
    'vcpu.maximum',
    'Maximum vCPUs',
    String(vcpu.maximum ?? ''),
    'The maximum vCPU count is fixed while the VM runs',
  );
  put('vcpu.current', 'vCPUs', String(vcpu.current ?? ''));
  put(
    'memory.maximum',
    'Maximum memory',
    `${readMemory(doc).memory?.kib ?? ''} KiB`,
    'Maximum memory can be changed only while the VM is shut off',
  );
  const backing = readMemoryBacking(doc);
  put(
    'memoryBacking',
    'Memory backing',
    `${backing.hugepages ? 'hugepages ' : ''}${backing.source ?? ''}/${backing.access ?? ''}`,
  );
  const tune = readCputune(doc);
  put(
    'cputune.pin',
    'CPU pinning',
    `${tune.vcpupins.map((p) => `${p.vcpu ?? ''}:${p.cpuset ?? ''}`).join(' ')} emulator:${tune.emulatorpin ?? ''}`,
  );
  const cpu = readCpu(doc);
  // A running host-model CPU is shown expanded to a named model: compare only what stays.
  const model = cpu.mode === 'custom' ? ` ${cpu.model?.name ?? ''}` : '';
  const t = cpu.topology;
  const topology = t
    ? ` ${t.sockets ?? 1}s/${t.dies ?? 1}d/${t.cores ?? 1}c/${t.threads ?? 1}t`
    : '';
  put(
    'cpu',
    'CPU model and topology',
    `${cpu.mode === 'host-model' ? 'custom' : cpu.mode}${model}${topology}`,
  );
  put(
    'cpu.numa',
    'NUMA nodes',
    cpu.numaCells.map((c) => `${c.id ?? ''}:${c.cpus ?? ''}:${c.memoryKiB ?? ''}`).join(' '),
  );
  const boot = readOsBoot(doc);
  put('os.boot', 'Boot order', boot.bootDevices.join(','));
  put(
    'os.bootmenu',
    'Boot menu',
    boot.bootMenu ? `${boot.bootMenu.enabled ? 'on' : 'off'} ${boot.bootMenu.timeoutMs ?? ''}` : '',
  );
  put(
    'os.kernel',
    'Direct kernel boot',
    [boot.kernel, boot.initrd, boot.cmdline, boot.dtb].map((v) => v ?? '').join('|'),
  );
  const fw = readFirmware(doc);
  put('os.firmware', 'Firmware', `${fw.kind}${fw.secureBoot ? ' secure-boot' : ''}`);
  for (const device of listDevices(doc)) {
    const label = `${DEVICE_LABEL[device.kind] ?? device.kind} ${device.key ?? device.ordinal}`;
    const order = findElement(device.element, 'boot');
    const bootOrder = order ? ` boot=${getAttribute(order, 'order') ?? ''}` : '';
    put(`device:${device.id}`, label, `${deviceSignature(device.element)}${bootOrder}`);
  }
  return out;
}

/**
 * Which parts of the persistent definition the running VM does not have yet, compared part
 * by part (never as raw XML, which the running VM extends with aliases, ports and ttys).
 * Current memory is left out: the running value is what the guest's balloon gave back.
 */
export function pendingChanges(live: XmlDocument, persistent: XmlDocument): PendingChange[] {
  const running = facets(live);
  const next = facets(persistent);
  const out: PendingChange[] = [];
  for (const [part, facet] of next) {
    const now = running.get(part);
    if (!now) {
      out.push({
        part,
        label: `${facet.label} (added)`,
        reason: 'Not in the running VM: it is attached at the next start',
      });
    } else if (now.value !== facet.value) {
      out.push({
        part,
        label: facet.label,
        reason: facet.reason,
        live: now.value,
        next: facet.value,
      });
    }
  }
  for (const [part, facet] of running) {
    if (!next.has(part)) {
      out.push({
        part,
        label: `${facet.label} (removed)`,
        reason:
          'Still in the running VM: it goes at the next shutdown (or when the guest releases it)',
      });
    }
  }
  return out;
}
