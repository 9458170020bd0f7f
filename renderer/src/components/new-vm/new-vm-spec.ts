import {
  newVmSpecSchema,
  newVmSteps,
  type HostFile,
  type InstallMethod,
  type NewVmProblem,
  type NewVmSpec,
  type NewVmStep,
  type NewVmStorage,
} from '../../../../shared/contract';
import { nicSourceInput } from '../vm-details/devices/nic-source-form';
import { sshKeyLines, type HostFileForm, type NewVmForm } from './new-vm-form';

const MiB = 1024 ** 2;

/** Stands in for the name until the last step, where the user's own is checked. */
export const PLACEHOLDER_NAME = 'new-vm';

export function stepIndex(step: NewVmStep): number {
  return newVmSteps.indexOf(step);
}

/** A host file as the contract has it; an upload still to happen names its target volume. */
export function hostFileOf(form: HostFileForm): HostFile {
  if (form.kind === 'path') return { kind: 'path', path: form.path };
  return { kind: 'volume', pool: form.pool, volume: form.volume };
}

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

export function methodOf(form: NewVmForm): InstallMethod {
  switch (form.method) {
    case 'media':
      return { kind: 'media', media: hostFileOf(form.media) };
    case 'tree': {
      const kernelArgs = optional(form.tree.kernelArgs);
      const autoinstallUrl = optional(form.tree.autoinstallUrl);
      return {
        kind: 'tree',
        url: form.tree.url,
        ...(kernelArgs !== undefined ? { kernelArgs } : {}),
        ...(autoinstallUrl !== undefined ? { autoinstallUrl } : {}),
      };
    }
    case 'pxe':
      return { kind: 'pxe' };
    case 'import':
      return { kind: 'import', disk: hostFileOf(form.importDisk), format: form.importFormat };
    case 'cloud': {
      const init = form.cloud.init;
      const password = optional(init.password);
      const userData = optional(init.userData);
      return {
        kind: 'cloud',
        base: hostFileOf(form.cloud.base),
        mode: form.cloud.mode,
        cloudInit: {
          user: init.user.trim(),
          sshKeys: sshKeyLines(init.sshKeys),
          hostname: init.hostname.trim(),
          ...(password !== undefined ? { password } : {}),
          ...(userData !== undefined ? { userData } : {}),
        },
      };
    }
    case 'manual':
      return { kind: 'manual' };
  }
}

export function storageOf(form: NewVmForm): NewVmStorage {
  // The imported disk is the VM's disk: the contract wants no other storage then.
  if (form.method === 'import') return { kind: 'none' };
  const s = form.storage;
  switch (s.kind) {
    case 'new':
      return { kind: 'new', pool: s.pool, size: { ...s.size }, format: s.format };
    case 'existing':
      return { kind: 'existing', disk: hostFileOf(s.existing) };
    case 'none':
      return { kind: 'none' };
  }
}

/**
 * The spec to check `step` with: the form's values for every step up to it, and values
 * that always pass the schema for the later ones (the host does not check those yet).
 */
export function specForStep(form: NewVmForm, step: NewVmStep): NewVmSpec {
  const at = stepIndex(step);
  const reached = (s: NewVmStep): boolean => at >= stepIndex(s);
  const network = form.withNetwork ? nicSourceInput(form.network) : null;
  return {
    connectionId: form.connectionId,
    arch: form.arch,
    ...(form.machine ? { machine: form.machine } : {}),
    method: reached('method') ? methodOf(form) : { kind: 'manual' },
    osId: reached('os') ? form.osId : null,
    memoryBytes: reached('resources') ? Math.round(form.memoryMiB * MiB) : 1024 * MiB,
    vcpus: reached('resources') ? form.vcpus : 1,
    storage: reached('storage') ? storageOf(form) : { kind: 'none' },
    name: reached('finish') ? form.name.trim() : PLACEHOLDER_NAME,
    network: reached('finish') ? network : null,
    firmware: form.firmware,
    secureBoot: form.firmware === 'efi' && form.secureBoot,
    tpm: form.tpm,
    graphics: form.graphics,
    ...(reached('finish') && form.driverIso.enabled
      ? { driverIso: hostFileOf(form.driverIso.file) }
      : {}),
  };
}

/** Which step asks for a spec field (`method.media.path` → method). */
export function stepOfField(field: string): NewVmStep {
  const head = field.split('.')[0] ?? '';
  if (head === 'connectionId' || head === 'arch' || head === 'machine') return 'host';
  if (head === 'method') return 'method';
  if (head === 'osId') return 'os';
  if (head === 'memoryBytes' || head === 'vcpus') return 'resources';
  if (head === 'storage') return 'storage';
  return 'finish';
}

/**
 * What the contract's schema refuses, as problems on their fields, before asking the host.
 * A NIC source whose fields are still empty is reported here too: the spec cannot carry it.
 */
export function localProblems(form: NewVmForm, step: NewVmStep): NewVmProblem[] {
  const spec = specForStep(form, step);
  const problems: NewVmProblem[] = [];
  if (stepIndex(step) >= stepIndex('finish') && form.withNetwork && spec.network === null) {
    problems.push({
      step: 'finish',
      field: 'network',
      message: 'Choose the network the VM joins',
      severity: 'error',
    });
  }
  const parsed = newVmSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.');
      // One message per field: an empty name also breaks the character rule, say only "required".
      if (problems.some((p) => p.field === field)) continue;
      problems.push({ step: stepOfField(field), field, message: issue.message, severity: 'error' });
    }
  }
  return problems.filter((p) => stepIndex(p.step) <= stepIndex(step));
}

/** Problems of one field and the fields under it (`method.media` takes `method.media.path`). */
export function problemsOn(
  problems: readonly NewVmProblem[],
  field: string,
  severity: NewVmProblem['severity'],
): string[] {
  return problems
    .filter(
      (p) => p.severity === severity && (p.field === field || p.field.startsWith(`${field}.`)),
    )
    .map((p) => p.message);
}

/** Problems no field of the step shows, for the step's own alert. */
export function unplacedProblems(
  problems: readonly NewVmProblem[],
  shownFields: readonly string[],
): NewVmProblem[] {
  return problems.filter(
    (p) => !shownFields.some((f) => p.field === f || p.field.startsWith(`${f}.`)),
  );
}

export const blocks = (problems: readonly NewVmProblem[]): boolean =>
  problems.some((p) => p.severity === 'error');
