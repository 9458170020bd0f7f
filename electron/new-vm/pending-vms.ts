import type { CreatedParts } from './create-new-vm';

/** A VM defined with "customize before install", not started yet. */
export interface PendingVm {
  parts: CreatedParts;
  /** A tree install's first-boot XML (kernel boot); null boots the definition itself. */
  installXml: string | null;
}

/**
 * What the wizard made for VMs the user is customizing, by host and UUID, so "Begin
 * installation" boots the right XML and "Cancel" removes exactly what the wizard created
 * (never a disk the user picked). Kept in memory: after a restart the VM is an ordinary
 * defined VM the user can start or delete.
 */
export class PendingVms {
  private readonly held = new Map<string, PendingVm>();

  add(connectionId: string, uuid: string, vm: PendingVm): void {
    this.held.set(key(connectionId, uuid), vm);
  }

  get(connectionId: string, uuid: string): PendingVm | undefined {
    return this.held.get(key(connectionId, uuid));
  }

  delete(connectionId: string, uuid: string): void {
    this.held.delete(key(connectionId, uuid));
  }
}

function key(connectionId: string, uuid: string): string {
  return `${connectionId}/${uuid.toLowerCase()}`;
}
