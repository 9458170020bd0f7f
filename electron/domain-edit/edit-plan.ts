import type { PendingChange } from '../../shared/contract/domain-edit';
import { VirtDeckError } from '../../shared/contract/errors';
import { XmlEditError, type XmlDocument } from '../../shared/xml';

/** One change to the running VM, made after the persistent definition was written. */
export type LiveStep =
  | { op: 'vcpus'; count: number; action: string }
  | { op: 'memory'; kib: number; action: string }
  | { op: 'metadata'; type: 'title' | 'description'; value: string | null; action: string }
  /** Attach the device this edit added, as the persistent definition now has it. */
  | { op: 'attach'; action: string }
  | { op: 'detach'; xml: string; action: string }
  | { op: 'update'; xml: string; action: string }
  /** Pins a vCPU or the emulator threads; null cpus unpins (all host CPUs). */
  | { op: 'pinVcpu'; vcpu: number; cpus: number[] | null; action: string }
  | { op: 'pinEmulator'; cpus: number[] | null; action: string }
  /** Block I/O tune of one disk by target; fields are libvirt's names, 0 lifts a limit. */
  | { op: 'blockIoTune'; disk: string; limits: Record<string, number>; action: string };

/** What an edit does: the persistent XML after it, the live part, and what waits. */
export interface EditPlan {
  after: XmlDocument;
  live: LiveStep[];
  /** Parts of this edit that take effect only after the next shutdown. */
  pending: PendingChange[];
  /** The edit cannot be applied in this state (nothing is done). */
  refused?: string;
}

/** The running VM as an edit sees it; undefined while shut off or with `persistentOnly`. */
export interface LiveContext {
  doc: XmlDocument;
}

/** A bad edit for this VM: a validation error naming the field. */
export function editInvalid(message: string, field?: string): VirtDeckError {
  return new VirtDeckError({
    kind: 'validation',
    message,
    ...(field ? { path: `edit.${field}` } : {}),
  });
}

/** Runs a `shared/xml` edit, turning its refusal into a validation error for `field`. */
export function xmlEdit<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof XmlEditError) throw editInvalid(err.message, field);
    throw err;
  }
}

export function pendingPart(part: string, label: string, reason: string): PendingChange {
  return { part, label, reason };
}
