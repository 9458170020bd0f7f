import type {
  CpuChoices,
  DomainEdit,
  DomainEditInput,
  DomainEditPreview,
  DomainEditResult,
  DomainXml,
  PendingChange,
} from '../../shared/contract/domain-edit';
import { VirtDeckError } from '../../shared/contract/errors';
import type { VmTarget } from '../../shared/contract/vms';
import {
  listDevices,
  parseXml,
  readDomainOverview,
  serializeElement,
  serializeXml,
  type XmlDocument,
} from '../../shared/xml';
import { toContractError } from '../handlers/to-contract-error';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import {
  domainAttachDevice,
  domainDefineXml,
  domainDetachDevice,
  domainGetXml,
  domainIsActive,
  domainRename,
  domainSetAutostart,
  domainSetMemory,
  domainSetMetadata,
  domainSetVcpus,
  domainUndefine,
  domainUpdateDevice,
  type DomainRef,
} from '../libvirt/facade/domain';
import { domainSetBlockIoTune } from '../libvirt/facade/domain-block-io-tune';
import { domainPinEmulator, domainPinVcpu } from '../libvirt/facade/domain-pin';
import { nodeGetInfo } from '../libvirt/facade/node';
import type { Logger } from '../services/logger';
import type { HostDirectory } from '../vms/host-directory';
import { lookupDomainByUuid } from '../vms/read-domain-facts';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { cpuChoices } from './cpu-choices';
import { forLiveAttach } from './device-hotplug';
import { pendingPart, type EditPlan, type LiveStep } from './edit-plan';
import { pendingChanges } from './pending-changes';
import { planDeviceEdit, type DeviceEdit } from './plan-device-edit';
import { planDomainEdit } from './plan-domain-edit';
import { unifiedDiff } from './unified-diff';
import { xmlErrorPath } from './xml-error-path';

export interface DomainEditServiceOptions {
  hosts: HostDirectory;
  logger: Logger;
  /** The VM's name as the VM list knows it, for errors about a VM that vanished. */
  nameOf?: (connectionId: string, uuid: string) => string | undefined;
}

/** A VM opened for an edit: its host, and both definitions as libvirt has them now. */
interface Opened {
  c: LibvirtClient;
  dom: DomainRef;
  alias: string;
  active: boolean;
  /** The persistent XML, secure (with passwords) so it can be defined back. */
  inactive: string;
  live: string | undefined;
}

const DEVICE_EDITS: readonly string[] = [
  'addDisk',
  'addInterface',
  'addGraphics',
  'addDeviceXml',
  'removeDevice',
  'setDiskMedia',
  'updateDisk',
  'updateInterface',
  'updateGraphics',
  'replaceDeviceXml',
];
const isDeviceEdit = (edit: DomainEdit): edit is DeviceEdit => DEVICE_EDITS.includes(edit.kind);

/** Unpinning live is pinning to every host CPU, as libvirt itself does. */
async function allHostCpus(c: LibvirtClient): Promise<number[]> {
  const { cpus } = await nodeGetInfo(c);
  return Array.from({ length: Math.max(cpus, 1) }, (_, i) => i);
}

/**
 * Edits of a VM's definition. Each edit is computed on the persistent XML with `shared/xml`,
 * defined with schema validation, and — while the VM runs — its hot-pluggable part is made
 * live too; what is left is reported as pending until the next shutdown. A refusal (ours or
 * libvirt's) leaves the persistent definition as it was: a failed define changes nothing,
 * and a failed live step puts the previous definition back.
 */
export class DomainEditService {
  private readonly names = new Map<string, string>();

  constructor(private readonly options: DomainEditServiceOptions) {}

  async getXml(target: VmTarget): Promise<DomainXml> {
    const vm = await this.open(target, 'read the XML of');
    return {
      xml: vm.inactive,
      ...(vm.live !== undefined ? { live: vm.live } : {}),
      active: vm.active,
      pending: this.pendingOf(vm.live, vm.inactive),
    };
  }

  async pending(target: VmTarget): Promise<{ active: boolean; pending: PendingChange[] }> {
    const vm = await this.open(target, 'read the XML of');
    return { active: vm.active, pending: this.pendingOf(vm.live, vm.inactive) };
  }

  /** The CPU modes and models this VM's emulator offers; libvirt's errors pass through. */
  async cpuChoices(target: VmTarget): Promise<CpuChoices> {
    const vm = await this.open(target, 'read the CPU choices of');
    return cpuChoices(vm.c, vm.inactive);
  }

  async previewEdit(input: DomainEditInput): Promise<DomainEditPreview> {
    const vm = await this.open(input, 'edit');
    const { plan, before } = this.plan(vm, input);
    const after = serializeXml(plan.after);
    return {
      before: vm.inactive,
      after,
      diff: unifiedDiff(serializeXml(before), after),
      active: vm.active,
      applyLive: plan.live.length > 0 || input.edit.kind === 'autostart',
      liveActions: plan.live.map((s) => s.action),
      pendingUntilShutdown: plan.pending,
      ...(plan.refused ? { refused: plan.refused } : {}),
    };
  }

  async applyEdit(input: DomainEditInput): Promise<DomainEditResult> {
    const vm = await this.open(input, 'edit');
    const name = vm.dom.name;
    if (input.edit.kind === 'autostart') {
      try {
        await domainSetAutostart(vm.c, vm.dom, input.edit.autostart);
      } catch (err) {
        throw vmActionError('change the autostart of', name, vm.alias, err);
      }
      return {
        xml: vm.inactive,
        persistent: false,
        liveActions: [`autostart ${input.edit.autostart ? 'on' : 'off'}`],
        pending: this.pendingOf(vm.live, vm.inactive),
      };
    }
    const { plan, before } = this.plan(vm, input);
    if (plan.refused)
      throw vmRefusal(`Cannot change ${name} on ${vm.alias}: ${plan.refused}`, 'edit');
    const after = serializeXml(plan.after);
    const changed = after !== serializeXml(before);
    let inactive = vm.inactive;
    if (changed) {
      await this.define(vm, after, 'change');
      inactive = await domainGetXml(vm.c, vm.dom, { inactive: true, secure: true });
    }
    const done: string[] = [];
    const inactiveDoc = parseXml(inactive);
    try {
      for (const step of plan.live) {
        await this.runLive(vm, step, before, inactiveDoc);
        done.push(step.action);
      }
    } catch (err) {
      if (changed) await this.restore(vm, vm.inactive);
      throw vmActionError('change the running', name, vm.alias, err);
    }
    const live = vm.active ? await domainGetXml(vm.c, vm.dom, { secure: true }) : undefined;
    const added = listDevices(inactiveDoc).find(
      (d) => !listDevices(before).some((b) => b.id === d.id),
    );
    return {
      xml: inactive,
      persistent: changed,
      liveActions: done,
      pending: this.pendingOf(live, inactive),
      ...(input.edit.kind.startsWith('add') && added ? { deviceId: added.id } : {}),
    };
  }

  async previewXml(target: VmTarget, xml: string): Promise<{ before: string; diff: string }> {
    const vm = await this.open(target, 'read the XML of');
    return { before: vm.inactive, diff: unifiedDiff(vm.inactive, xml) };
  }

  /** The XML tab's Apply: the whole definition, validated by libvirt; never touches the live VM. */
  async applyXml(target: VmTarget, xml: string): Promise<DomainEditResult> {
    const vm = await this.open(target, 'change the XML of');
    let parsed: XmlDocument | undefined;
    try {
      parsed = parseXml(xml);
    } catch {
      // Not well-formed: libvirt's parser refuses it too, and its message is the one to show.
    }
    if (parsed) {
      const uuid = readDomainOverview(parsed).uuid?.trim();
      if (uuid?.toLowerCase() !== vm.dom.uuid) {
        throw vmRefusal(
          `The XML must keep the UUID of ${vm.dom.name} (${vm.dom.uuid}); another UUID would define another VM`,
          'xml',
        );
      }
    }
    await this.define(vm, xml, 'apply the XML of');
    const inactive = await domainGetXml(vm.c, vm.dom, { inactive: true, secure: true });
    return {
      xml: inactive,
      persistent: inactive !== vm.inactive,
      liveActions: [],
      pending: this.pendingOf(vm.live, inactive),
    };
  }

  async rename(
    target: VmTarget,
    newName: string,
  ): Promise<{ connectionId: string; uuid: string; name: string }> {
    const vm = await this.open(target, 'rename');
    if (vm.active) {
      throw vmRefusal(
        `${vm.dom.name} on ${vm.alias} is running: libvirt renames shut-off VMs only`,
        'name',
      );
    }
    if (newName !== vm.dom.name) {
      try {
        await domainRename(vm.c, vm.dom, newName);
      } catch (err) {
        throw vmActionError('rename', vm.dom.name, vm.alias, err);
      }
      this.names.set(vm.dom.uuid, newName);
    }
    return { connectionId: target.connectionId, uuid: vm.dom.uuid, name: newName };
  }

  private plan(vm: Opened, input: DomainEditInput): { plan: EditPlan; before: XmlDocument } {
    const before = parseXml(vm.inactive);
    const liveDoc = vm.live !== undefined ? parseXml(vm.live) : undefined;
    const live = liveDoc && !input.persistentOnly ? { doc: liveDoc } : undefined;
    const edit = input.edit;
    const plan = isDeviceEdit(edit)
      ? planDeviceEdit(edit, before, live)
      : planDomainEdit(edit, before, live, vm.active);
    if (liveDoc && input.persistentOnly) {
      // Nothing live: every part the edit changes waits, as the comparison shows.
      const already = new Set(
        pendingChanges(liveDoc, before).map((p) => `${p.part} ${p.next ?? ''}`),
      );
      plan.pending = pendingChanges(liveDoc, plan.after).filter(
        (p) => !already.has(`${p.part} ${p.next ?? ''}`),
      );
      if (edit.kind === 'title' || edit.kind === 'description') {
        plan.pending = [
          pendingPart(
            edit.kind,
            edit.kind === 'title' ? 'Title' : 'Description',
            'Saved for the next boot only',
          ),
        ];
      }
    }
    return { plan, before };
  }

  private pendingOf(live: string | undefined, inactive: string): PendingChange[] {
    return live === undefined ? [] : pendingChanges(parseXml(live), parseXml(inactive));
  }

  private async runLive(
    vm: Opened,
    step: LiveStep,
    before: XmlDocument,
    after: XmlDocument,
  ): Promise<void> {
    const { c, dom } = vm;
    switch (step.op) {
      case 'vcpus':
        return domainSetVcpus(c, dom, step.count, { live: true });
      case 'memory':
        return domainSetMemory(c, dom, step.kib, { live: true });
      case 'metadata':
        return domainSetMetadata(c, dom, { type: step.type, value: step.value, live: true });
      case 'attach': {
        const added = listDevices(after).find(
          (d) => !listDevices(before).some((b) => b.id === d.id),
        );
        if (!added) throw new Error('the new device is not in the persistent definition');
        return domainAttachDevice(c, dom, serializeElement(forLiveAttach(added.element)), {
          live: true,
        });
      }
      case 'detach':
        return domainDetachDevice(c, dom, step.xml, { live: true });
      case 'update':
        return domainUpdateDevice(c, dom, step.xml, { live: true });
      case 'pinVcpu':
        return domainPinVcpu(c, dom, step.vcpu, step.cpus ?? (await allHostCpus(c)), {
          live: true,
        });
      case 'pinEmulator':
        return domainPinEmulator(c, dom, step.cpus ?? (await allHostCpus(c)), { live: true });
      case 'blockIoTune':
        return domainSetBlockIoTune(c, dom, step.disk, step.limits, { live: true });
    }
  }

  /**
   * Defines with validation. If libvirt refuses, the persistent XML is read again and must be
   * what it was; libvirt's error goes to the caller with its line, when its message has one.
   */
  private async define(vm: Opened, xml: string, verb: string): Promise<void> {
    let defined: DomainRef;
    try {
      defined = await domainDefineXml(vm.c, xml, { validate: true });
    } catch (err) {
      const now = await domainGetXml(vm.c, vm.dom, { inactive: true, secure: true });
      if (now !== vm.inactive) {
        this.options.logger.error(
          `the definition of ${vm.dom.name} changed although libvirt refused the XML`,
        );
      }
      const failure = vmActionError(verb, vm.dom.name, vm.alias, err);
      const path = xmlErrorPath(toContractError(err).message);
      throw path ? new VirtDeckError({ ...failure.toContractError(), path }) : failure;
    }
    if (defined.uuid !== vm.dom.uuid) {
      // XML our parser could not read, yet libvirt took as another VM: undo that at once.
      await domainUndefine(vm.c, defined).catch(() => undefined);
      throw vmRefusal(`The XML defines another VM (${defined.name}); nothing was changed`, 'xml');
    }
  }

  /** Puts the previous persistent definition back after a live step failed. */
  private async restore(vm: Opened, inactive: string): Promise<void> {
    try {
      await domainDefineXml(vm.c, inactive);
    } catch (err) {
      this.options.logger.error(
        `restoring the definition of ${vm.dom.name} failed: ${toContractError(err).message}`,
      );
    }
  }

  private async open(target: VmTarget, verb: string): Promise<Opened> {
    const host = this.options.hosts.host(target.connectionId);
    if (!host) {
      const known = this.options.hosts.connectionIds().includes(target.connectionId);
      const alias = this.options.hosts.alias(target.connectionId);
      throw new VirtDeckError({
        kind: known ? 'transport' : 'validation',
        message: known
          ? `Cannot ${verb} a VM on ${alias}: ${alias} is not connected`
          : `No saved connection has id ${target.connectionId}`,
        path: 'connectionId',
      });
    }
    const known =
      this.names.get(target.uuid) ?? this.options.nameOf?.(target.connectionId, target.uuid);
    try {
      const dom = await lookupDomainByUuid(host.client, target.uuid);
      this.names.set(dom.uuid, dom.name);
      const active = await domainIsActive(host.client, dom);
      const [inactive, live] = await Promise.all([
        domainGetXml(host.client, dom, { inactive: true, secure: true }),
        active ? domainGetXml(host.client, dom, { secure: true }) : undefined,
      ]);
      return { c: host.client, dom, alias: host.alias, active, inactive, live };
    } catch (err) {
      throw vmActionError(verb, known ?? `the VM ${target.uuid}`, host.alias, err);
    }
  }
}
