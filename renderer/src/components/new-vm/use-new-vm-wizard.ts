import { computed, reactive, ref, watch } from 'vue';
import {
  newVmSteps,
  type NewVmHostInfo,
  type NewVmPreview,
  type NewVmProblem,
  type NewVmStep,
  type OsDetection,
  type OsEntry,
} from '../../../../shared/contract';
import { useConnectionsStore } from '../../stores/connections';
import { useNewVmStore } from '../../stores/new-vm';
import { usePreferencesStore } from '../../stores/preferences';
import type { ErrorDetail } from '../../stores/notifications';
import { useVmsStore } from '../../stores/vms';
import { emptyNicSource } from '../vm-details/devices/nic-source-form';
import { emptyNewVmForm, type HostFileForm, type NewVmForm } from './new-vm-form';
import { blocks, hostFileOf, localProblems, specForStep } from './new-vm-spec';
import { osDefaults } from './os-defaults';
import { suggestVmName } from './suggest-vm-name';

/** The wizard's pages: the contract's steps, then the summary. */
export type WizardPage = NewVmStep | 'summary';
export const wizardPages: readonly WizardPage[] = [...newVmSteps, 'summary'];

/**
 * The wizard's state and its moves: the form, what the host offers, each step's check on
 * Next (errors keep the step, warnings travel on to the summary), the OS detection and
 * OS-driven defaults, the upload of a local installer, the preview and the creation.
 */
export function useNewVmWizard() {
  const store = useNewVmStore();
  const connections = useConnectionsStore();
  const vms = useVmsStore();
  const prefs = usePreferencesStore();

  const connected = computed(() =>
    connections.list.filter((item) => item.state.status === 'connected'),
  );
  const form = reactive<NewVmForm>(
    emptyNewVmForm(connected.value[0]?.connection.id ?? '', {
      storageFormat: prefs.effective.newVmStorageFormat,
      firmware: prefs.effective.newVmFirmware,
      graphics: prefs.effective.newVmGraphics,
    }),
  );
  const page = ref<WizardPage>('host');
  const host = ref<NewVmHostInfo | null>(null);
  const hostError = ref<ErrorDetail | null>(null);
  /** Problems of the last check, for the step on screen (and earlier ones it reported). */
  const problems = ref<NewVmProblem[]>([]);
  /** Warnings of the steps passed, shown again in the summary. */
  const warnings = ref<NewVmProblem[]>([]);
  const busy = ref(false);
  const error = ref<ErrorDetail | null>(null);
  const detection = ref<{ result: OsDetection; from: string } | null>(null);
  /** The media name whose OS is being detected, while it is. */
  const detecting = ref<string | null>(null);
  const osTouched = ref(false);
  const nameTouched = ref(false);
  const uploadId = ref<string | null>(null);
  const preview = ref<NewVmPreview | null>(null);

  const os = computed<OsEntry | null>(
    () => store.catalog?.oses.find((o) => o.id === form.osId) ?? null,
  );
  const takenNames = computed(() =>
    vms.list.filter((i) => i.vm.connectionId === form.connectionId).map((i) => i.vm.name),
  );

  async function loadHost(): Promise<void> {
    if (!form.connectionId) return;
    host.value = null;
    const result = await store.hostInfo(form.connectionId, form.arch, form.machine);
    if (!result.ok) {
      host.value = null;
      hostError.value = result.error;
      return;
    }
    hostError.value = null;
    const info = result.value;
    host.value = info;
    if (!form.arch) form.arch = info.hostArch;
    choosePool(info);
    chooseNetwork(info);
    applyOsDefaults();
  }

  function choosePool(info: NewVmHostInfo): void {
    const usable = info.pools.filter((p) => p.state === 'running' && p.canCreateVolumes);
    if (usable.some((p) => p.name === form.storage.pool)) return;
    const pool = (usable.find((p) => p.name === 'default') ?? usable[0])?.name ?? '';
    form.storage.pool = pool;
    for (const file of [form.media, form.importDisk, form.cloud.base, form.storage.existing]) {
      if (!file.pool) file.pool = pool;
    }
  }

  /**
   * The default network when the host has it; on a session (unprivileged) host without it,
   * user-mode networking, which needs nothing from the host. Otherwise the step says so.
   */
  function chooseNetwork(info: NewVmHostInfo): void {
    if (info.defaultNetwork.defined) form.network = emptyNicSource('default');
    else if (info.session) form.network = { ...emptyNicSource(''), type: 'user' };
    else form.network = emptyNicSource('');
  }

  /** Memory, vCPUs, disk size, firmware, TPM and the name follow the OS until the user edits them. */
  function applyOsDefaults(): void {
    if (!host.value) return;
    const preferred = prefs.effective.newVmFirmware === 'uefi' ? 'efi' : 'bios';
    const d = osDefaults(os.value, host.value, preferred);
    form.memoryMiB = d.memoryMiB;
    form.vcpus = d.vcpus;
    form.storage.size = { value: d.diskGiB, unit: 'GiB' };
    form.firmware = d.firmware;
    form.secureBoot = d.secureBoot;
    form.tpm = d.tpm;
    if (!os.value?.windows) form.driverIso.enabled = false;
    if (!nameTouched.value) form.name = suggestVmName(os.value?.shortId ?? null, takenNames.value);
  }

  watch(
    () => [form.connectionId, form.arch, form.machine],
    (next, before) => {
      // Another host has other architectures: start from its own.
      if (before && next[0] !== before[0]) {
        form.arch = '';
        form.machine = '';
      }
      void loadHost();
    },
  );
  watch(() => form.osId, applyOsDefaults);
  // Opened before the saved connections were read: take the first host once they are.
  watch(connected, (list) => {
    if (!form.connectionId && list[0]) form.connectionId = list[0].connection.id;
  });

  /** The media the OS can be guessed from, and a name for "detected from …". */
  function detectable(): { file: HostFileForm; from: string } | null {
    const file =
      form.method === 'media'
        ? form.media
        : form.method === 'import'
          ? form.importDisk
          : form.method === 'cloud'
            ? form.cloud.base
            : null;
    if (!file || file.kind === 'upload') return null;
    return { file, from: file.kind === 'path' ? file.path : file.volume };
  }

  async function detect(): Promise<void> {
    const source = detectable();
    detection.value = null;
    if (!source) return;
    detecting.value = source.from;
    const result = await store.detectOs(form.connectionId, hostFileOf(source.file));
    // The user went on to other media meanwhile: this answer is about the old one.
    if (detecting.value !== source.from) return;
    detecting.value = null;
    // A failed guess is no problem: the user picks the OS.
    detection.value = result.ok ? { result: result.value, from: source.from } : null;
    const id = detection.value?.result.osId ?? null;
    if (id && !osTouched.value && store.catalog?.oses.some((o) => o.id === id)) form.osId = id;
  }

  async function uploadIfNeeded(): Promise<boolean> {
    if (form.method !== 'media' || form.media.kind !== 'upload') return true;
    const { file, pool, volume } = form.media;
    if (!file || !pool || !volume) {
      problems.value = [
        {
          step: 'method',
          field: 'method.media',
          message: 'Choose a local file, the pool and a volume name',
          severity: 'error',
        },
      ];
      return false;
    }
    uploadId.value = crypto.randomUUID();
    const target = { connectionId: form.connectionId, pool, volume };
    const result = await store.uploadMedia(target, file, uploadId.value);
    if (!result.ok) {
      error.value = result.error;
      return false;
    }
    // Uploaded: from now on it is a volume of the pool like any other.
    form.media = { kind: 'volume', pool, volume, path: '', file: null };
    return true;
  }

  async function next(): Promise<void> {
    const step = page.value;
    if (step === 'summary') return;
    busy.value = true;
    error.value = null;
    problems.value = [];
    try {
      const local = localProblems(form, step);
      if (blocks(local)) {
        problems.value = local;
        return;
      }
      if (step === 'method' && !(await uploadIfNeeded())) return;
      const checked = await store.check(specForStep(form, step), step);
      if (!checked.ok) {
        error.value = checked.error;
        return;
      }
      if (blocks(checked.value)) {
        problems.value = checked.value;
        return;
      }
      warnings.value = [
        ...warnings.value.filter((w) => w.step !== step),
        ...checked.value.filter((p) => p.step === step),
      ];
      const at = wizardPages.indexOf(step);
      page.value = wizardPages[at + 1] as WizardPage;
      // Reading the ISO's label goes through libvirt and can be slow: the step stays usable.
      if (page.value === 'os') void detect();
      if (page.value === 'summary') await loadPreview();
    } finally {
      busy.value = false;
    }
  }

  function back(): void {
    const at = wizardPages.indexOf(page.value);
    if (at <= 0) return;
    problems.value = [];
    error.value = null;
    preview.value = null;
    page.value = wizardPages[at - 1] as WizardPage;
  }

  async function loadPreview(): Promise<void> {
    preview.value = null;
    const result = await store.preview(specForStep(form, 'finish'));
    if (result.ok) preview.value = result.value;
    else error.value = result.error;
  }

  async function init(): Promise<void> {
    await Promise.all([store.loadCatalog(), loadHost()]);
  }

  return {
    form,
    page,
    host,
    hostError,
    problems,
    warnings,
    busy,
    error,
    detection,
    detecting,
    osTouched,
    nameTouched,
    uploadId,
    preview,
    os,
    connected,
    init,
    next,
    back,
    loadHost,
  };
}
