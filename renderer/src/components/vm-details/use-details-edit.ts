import { ref } from 'vue';
import type { DomainEdit, DomainEditPreview, DomainEditResult } from '../../../../shared/contract';
import {
  useDomainEditorStore,
  type DomainTarget,
  type EditOptions,
} from '../../stores/domain-editor';
import { describeError } from '../../stores/notifications';

/**
 * The one way a Details page changes a VM: store.preview → EditPreviewDialog → store.apply.
 * The dialog binds straight onto `open`, `preview`, `busy` and `error`; a failure keeps the
 * dialog open with libvirt's message.
 */
export function useDetailsEdit(
  target: () => DomainTarget,
  onApplied?: (result: DomainEditResult) => void,
) {
  const store = useDomainEditorStore();
  const open = ref(false);
  const preview = ref<DomainEditPreview | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  let proposed: { edit: DomainEdit; options: EditOptions } | null = null;

  async function propose(edit: DomainEdit, options: EditOptions = {}): Promise<void> {
    proposed = { edit, options };
    preview.value = null;
    error.value = null;
    open.value = true;
    busy.value = true;
    try {
      preview.value = await store.preview(target(), edit, options);
    } catch (err) {
      error.value = describeError(err).detail;
    } finally {
      busy.value = false;
    }
  }

  async function confirm(): Promise<void> {
    if (!proposed || !preview.value || preview.value.refused) return;
    busy.value = true;
    error.value = null;
    try {
      const result = await store.apply(target(), proposed.edit, proposed.options);
      open.value = false;
      proposed = null;
      onApplied?.(result);
    } catch (err) {
      error.value = describeError(err).detail;
    } finally {
      busy.value = false;
    }
  }

  return { open, preview, busy, error, propose, confirm };
}
