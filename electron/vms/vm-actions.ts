import type { VmBulkAction } from '../../shared/contract/vms';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import {
  domainDestroy,
  domainInjectNmi,
  domainManagedSave,
  domainManagedSaveRemove,
  domainReboot,
  domainReset,
  domainResume,
  domainSetAutostart,
  domainShutdown,
  domainStart,
  domainSuspend,
  type DomainRef,
} from '../libvirt/facade/domain';

/** A lifecycle action: how the error message words it, and the libvirt call. */
export interface VmAction {
  /** "Failed to <verb> web01 on host1: …" */
  verb: string;
  run(c: LibvirtClient, dom: DomainRef): Promise<unknown>;
}

/**
 * Every action that needs nothing but the VM. 'restore' is a start that the service only
 * allows for a saved VM; 'start' with options goes through VmService.start.
 */
export const vmActions: Readonly<Record<VmBulkAction, VmAction>> = {
  start: { verb: 'start', run: (c, d) => domainStart(c, d) },
  shutdown: { verb: 'shut down', run: (c, d) => domainShutdown(c, d) },
  reboot: { verb: 'reboot', run: (c, d) => domainReboot(c, d) },
  forceOff: { verb: 'force off', run: (c, d) => domainDestroy(c, d) },
  reset: { verb: 'reset', run: (c, d) => domainReset(c, d) },
  pause: { verb: 'pause', run: (c, d) => domainSuspend(c, d) },
  resume: { verb: 'resume', run: (c, d) => domainResume(c, d) },
  save: { verb: 'save', run: (c, d) => domainManagedSave(c, d) },
  restore: { verb: 'restore', run: (c, d) => domainStart(c, d) },
  discardSavedState: {
    verb: 'discard the saved state of',
    run: (c, d) => domainManagedSaveRemove(c, d),
  },
  sendNmi: { verb: 'send an NMI to', run: (c, d) => domainInjectNmi(c, d) },
  autostartOn: { verb: 'turn on autostart of', run: (c, d) => domainSetAutostart(c, d, true) },
  autostartOff: { verb: 'turn off autostart of', run: (c, d) => domainSetAutostart(c, d, false) },
};
