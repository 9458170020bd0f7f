import type { DomainEdit } from '../../shared/contract/domain-edit';
import {
  cpusetCpus,
  readMemory,
  readVcpu,
  setBootDevices,
  setBootMenu,
  setCpuMode,
  setCpuTopology,
  setCurrentMemoryKiB,
  setDeviceBootOrder,
  setDirectKernelBoot,
  setDomainDescription,
  setDomainTitle,
  setEmulatorPin,
  setFirmware,
  setHugepages,
  setMemoryAccess,
  setMemoryKiB,
  setMemorySource,
  setNumaCells,
  setVcpuPin,
  setVcpus,
  topologyVcpus,
  type XmlDocument,
} from '../../shared/xml';
import {
  editInvalid,
  pendingPart,
  xmlEdit,
  type EditPlan,
  type LiveContext,
  type LiveStep,
} from './edit-plan';

type Of<K extends DomainEdit['kind']> = Extract<DomainEdit, { kind: K }>;

const AT_NEXT_BOOT = 'Takes effect after the next shutdown';

function metadataPlan(
  edit: Of<'title'> | Of<'description'>,
  before: XmlDocument,
  live: LiveContext | undefined,
): EditPlan {
  const value = edit.kind === 'title' ? edit.title : edit.description;
  const after = xmlEdit(edit.kind, () =>
    edit.kind === 'title' ? setDomainTitle(before, value) : setDomainDescription(before, value),
  );
  const steps: LiveStep[] = live
    ? [
        {
          op: 'metadata',
          type: edit.kind,
          value: value === '' ? null : value,
          action: `set the ${edit.kind}`,
        },
      ]
    : [];
  return { after, live: steps, pending: [] };
}

function vcpuPlan(edit: Of<'vcpus'>, before: XmlDocument, live: LiveContext | undefined): EditPlan {
  const now = readVcpu(before);
  const maximum = edit.maximum ?? now.maximum;
  if (edit.current !== undefined && maximum !== undefined && edit.current > maximum) {
    throw editInvalid(
      `Current vCPUs (${edit.current}) cannot exceed the maximum (${maximum})`,
      'current',
    );
  }
  const after = xmlEdit(edit.current !== undefined ? 'current' : 'maximum', () =>
    setVcpus(before, {
      ...(edit.maximum !== undefined ? { maximum: edit.maximum } : {}),
      // libvirt's default for current is the maximum; keep the XML as short as it was.
      ...(edit.current !== undefined
        ? { current: edit.current === maximum ? null : edit.current }
        : {}),
    }),
  );
  if (!live) return { after, live: [], pending: [] };
  const running = readVcpu(live.doc);
  const plan: EditPlan = { after, live: [], pending: [] };
  if (edit.maximum !== undefined && edit.maximum !== running.maximum) {
    plan.pending.push(
      pendingPart(
        'vcpu.maximum',
        'Maximum vCPUs',
        'The maximum vCPU count is fixed while the VM runs',
      ),
    );
  }
  const target = edit.current ?? (edit.maximum !== undefined ? readVcpu(after).current : undefined);
  if (target === undefined || running.current === undefined || target === running.current)
    return plan;
  if (target < running.current) {
    if (edit.current === undefined) {
      plan.pending.push(pendingPart('vcpu.current', 'vCPUs', AT_NEXT_BOOT));
      return plan;
    }
    plan.refused =
      `Removing vCPUs from a running VM is not supported (${running.current} → ${target}): ` +
      'shut the VM down first, or save the change for the next boot only';
  } else if (target > (running.maximum ?? 0)) {
    plan.pending.push(
      pendingPart(
        'vcpu.current',
        'vCPUs',
        `More than the running maximum of ${running.maximum ?? '?'} vCPUs`,
      ),
    );
  } else {
    plan.live.push({
      op: 'vcpus',
      count: target,
      action: `hot-plug vCPUs: ${running.current} → ${target}`,
    });
  }
  return plan;
}

function memoryPlan(
  edit: Of<'memory'>,
  before: XmlDocument,
  live: LiveContext | undefined,
): EditPlan {
  const now = readMemory(before);
  const maximum = edit.maximumKiB ?? now.memory?.kib;
  if (edit.currentKiB !== undefined && maximum !== undefined && edit.currentKiB > maximum) {
    throw editInvalid(
      `Current memory (${edit.currentKiB} KiB) cannot exceed the maximum (${maximum} KiB)`,
      'currentKiB',
    );
  }
  let after = before;
  if (edit.maximumKiB !== undefined)
    after = xmlEdit('maximumKiB', () => setMemoryKiB(after, edit.maximumKiB ?? 0));
  // A lower maximum pulls the current memory down with it, as libvirt would.
  const current =
    edit.currentKiB ??
    (maximum !== undefined && (now.currentMemory?.kib ?? 0) > maximum ? maximum : undefined);
  if (current !== undefined)
    after = xmlEdit('currentKiB', () => setCurrentMemoryKiB(after, current));
  if (!live) return { after, live: [], pending: [] };
  const running = readMemory(live.doc);
  const plan: EditPlan = { after, live: [], pending: [] };
  if (edit.maximumKiB !== undefined && edit.maximumKiB !== running.memory?.kib) {
    plan.pending.push(
      pendingPart(
        'memory.maximum',
        'Maximum memory',
        'Maximum memory can be changed only while the VM is shut off',
      ),
    );
  }
  if (current !== undefined) {
    if (current > (running.memory?.kib ?? 0)) {
      plan.pending.push(
        pendingPart('memory.current', 'Current memory', 'Above the maximum the VM runs with now'),
      );
    } else {
      plan.live.push({ op: 'memory', kib: current, action: `set the balloon to ${current} KiB` });
    }
  }
  return plan;
}

function configOnly(
  after: XmlDocument,
  live: LiveContext | undefined,
  part: string,
  label: string,
): EditPlan {
  return { after, live: [], pending: live ? [pendingPart(part, label, AT_NEXT_BOOT)] : [] };
}

/**
 * Pinning is checked here first: libvirt silently drops a pin of a vCPU beyond the maximum,
 * and a second pin of one vCPU in the same edit would be ambiguous.
 */
function cpuPinningPlan(
  edit: Of<'cpuPinning'>,
  before: XmlDocument,
  live: LiveContext | undefined,
): EditPlan {
  const maximum = readVcpu(before).maximum ?? 1;
  const seen = new Set<number>();
  const steps: LiveStep[] = [];
  /** The CPUs of a cpuset, or null to unpin; refusals name the field. */
  const cpusOf = (value: string | null, field: string, what: string): number[] | null => {
    if (value === null || value === '') return null;
    return xmlEdit(field, () => cpusetCpus(value, what));
  };
  let after = before;
  (edit.vcpus ?? []).forEach((pin, i) => {
    if (pin.vcpu >= maximum) {
      throw editInvalid(
        `vCPU ${pin.vcpu} does not exist: the VM has vCPUs 0 to ${maximum - 1}`,
        `vcpus.${i}.vcpu`,
      );
    }
    if (seen.has(pin.vcpu))
      throw editInvalid(`vCPU ${pin.vcpu} is pinned twice`, `vcpus.${i}.vcpu`);
    seen.add(pin.vcpu);
    const field = `vcpus.${i}.cpuset`;
    const cpus = cpusOf(pin.cpuset, field, `The pinning of vCPU ${pin.vcpu}`);
    const cpuset = cpus && (pin.cpuset ?? '').replace(/\s/g, '');
    after = xmlEdit(field, () => setVcpuPin(after, pin.vcpu, cpuset));
    steps.push({
      op: 'pinVcpu',
      vcpu: pin.vcpu,
      cpus,
      action: cpuset ? `pin vCPU ${pin.vcpu} to host CPUs ${cpuset}` : `unpin vCPU ${pin.vcpu}`,
    });
  });
  if (edit.emulator !== undefined) {
    const cpus = cpusOf(edit.emulator, 'emulator', 'The emulator pinning');
    const cpuset = cpus && (edit.emulator ?? '').replace(/\s/g, '');
    after = xmlEdit('emulator', () => setEmulatorPin(after, cpuset));
    steps.push({
      op: 'pinEmulator',
      cpus,
      action: cpuset ? `pin the emulator to host CPUs ${cpuset}` : 'unpin the emulator',
    });
  }
  // libvirt pins a running VM's threads at once (sched_setaffinity, no cgroup needed).
  return { after, live: live ? steps : [], pending: [] };
}

/**
 * libvirt refuses cells sharing a vCPU or naming one beyond the maximum, and silently sets
 * the memory to the cells' sum; we refuse all three first, and a vCPU left out of every cell.
 */
function numaNodesPlan(
  edit: Of<'numaNodes'>,
  before: XmlDocument,
  live: LiveContext | undefined,
): EditPlan {
  const maximum = readVcpu(before).maximum ?? 1;
  const memoryKiB = readMemory(before).memory?.kib;
  const owner = new Map<number, number>();
  edit.cells.forEach((cell, i) => {
    const field = `cells.${i}.cpus`;
    for (const cpu of xmlEdit(field, () => cpusetCpus(cell.cpus, `The vCPUs of cell ${i}`))) {
      if (cpu >= maximum) {
        throw editInvalid(
          `Cell ${i} names vCPU ${cpu}, but the VM has vCPUs 0 to ${maximum - 1}`,
          field,
        );
      }
      const other = owner.get(cpu);
      if (other !== undefined)
        throw editInvalid(`Cells ${other} and ${i} both have vCPU ${cpu}`, field);
      owner.set(cpu, i);
    }
  });
  if (edit.cells.length > 0) {
    const missing = Array.from({ length: maximum }, (_, v) => v).filter((v) => !owner.has(v));
    if (missing.length > 0)
      throw editInvalid(`vCPUs ${missing.join(', ')} are in no NUMA cell`, 'cells');
    const sum = edit.cells.reduce((total, c) => total + c.memoryKiB, 0);
    if (memoryKiB !== undefined && sum !== memoryKiB) {
      throw editInvalid(
        `The cells have ${sum} KiB of memory but the VM has ${memoryKiB} KiB`,
        'cells',
      );
    }
  }
  const after = xmlEdit('cells', () =>
    setNumaCells(
      before,
      edit.cells.map((c, id) => ({ id, cpus: c.cpus.replace(/\s/g, ''), memoryKiB: c.memoryKiB })),
    ),
  );
  return configOnly(after, live, 'cpu.numa', 'NUMA nodes');
}

/** Plans the edits of the domain itself (not of one device). */
export function planDomainEdit(
  edit: Exclude<
    DomainEdit,
    {
      kind:
        `add${string}` | 'removeDevice' | 'setDiskMedia' | `update${string}` | 'replaceDeviceXml';
    }
  >,
  before: XmlDocument,
  live: LiveContext | undefined,
  active: boolean,
): EditPlan {
  switch (edit.kind) {
    case 'title':
    case 'description':
      return metadataPlan(edit, before, live);
    case 'vcpus':
      return vcpuPlan(edit, before, live);
    case 'memory':
      return memoryPlan(edit, before, live);
    case 'cpu': {
      let after = before;
      if (edit.mode !== undefined || edit.model !== undefined) {
        const mode = edit.mode ?? (edit.model !== undefined ? 'custom' : 'host-model');
        if (mode !== 'custom' && edit.model !== undefined) {
          throw editInvalid(`A CPU model is named only in mode custom, not ${mode}`, 'model');
        }
        after = xmlEdit('mode', () => setCpuMode(after, mode, edit.model));
      }
      if (edit.topology !== undefined) {
        const t = edit.topology;
        const max = readVcpu(before).maximum;
        if (t && max !== undefined && topologyVcpus(t) !== max) {
          throw editInvalid(
            `The topology describes ${topologyVcpus(t)} vCPUs but the maximum is ${max}`,
            'topology',
          );
        }
        after = xmlEdit('topology', () => setCpuTopology(after, t));
      }
      return configOnly(after, live, 'cpu', 'CPU model and topology');
    }
    case 'memoryBacking': {
      let after = before;
      if (edit.hugepages !== undefined) {
        const on = edit.hugepages;
        after = xmlEdit('hugepages', () => setHugepages(after, on));
      }
      if (edit.sharedMemory !== undefined) {
        // virtiofs needs a shareable source: memfd needs no host path, unlike file.
        const on = edit.sharedMemory;
        after = xmlEdit('sharedMemory', () =>
          setMemoryAccess(setMemorySource(after, on ? 'memfd' : null), on ? 'shared' : null),
        );
      }
      return configOnly(after, live, 'memoryBacking', 'Memory backing');
    }
    case 'cpuPinning':
      return cpuPinningPlan(edit, before, live);
    case 'numaNodes':
      return numaNodesPlan(edit, before, live);
    case 'directKernelBoot': {
      const b = edit.boot;
      const after = xmlEdit('boot', () =>
        setDirectKernelBoot(before, {
          kernel: b?.kernel ?? null,
          initrd: b?.initrd ?? null,
          cmdline: b?.cmdline ?? null,
          dtb: b?.dtb ?? null,
        }),
      );
      return configOnly(after, live, 'os.kernel', 'Direct kernel boot');
    }
    case 'bootDevices':
      return configOnly(
        xmlEdit('devices', () => setBootDevices(before, edit.devices)),
        live,
        'os.boot',
        'Boot order',
      );
    case 'deviceBootOrder':
      return configOnly(
        xmlEdit('ids', () => setDeviceBootOrder(before, edit.ids)),
        live,
        'os.boot',
        'Boot order',
      );
    case 'bootMenu':
      return configOnly(
        xmlEdit('timeoutMs', () =>
          setBootMenu(before, {
            enabled: edit.enabled,
            ...(edit.timeoutMs !== undefined ? { timeoutMs: edit.timeoutMs } : {}),
          }),
        ),
        live,
        'os.bootmenu',
        'Boot menu',
      );
    case 'firmware': {
      const after = xmlEdit('firmware', () =>
        setFirmware(before, {
          kind: edit.firmware,
          ...(edit.secureBoot !== undefined ? { secureBoot: edit.secureBoot } : {}),
        }),
      );
      const plan: EditPlan = { after, live: [], pending: [] };
      if (active) plan.refused = 'The firmware can be changed only while the VM is shut off';
      return plan;
    }
    case 'autostart':
      // Not part of the XML: the service sets it directly.
      return { after: before, live: [], pending: [] };
  }
}
