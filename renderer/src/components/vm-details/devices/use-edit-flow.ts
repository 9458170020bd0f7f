import { ref } from 'vue';
import type {
  DomainEdit,
  DomainEditPreview,
  DomainEditResult,
} from '../../../../../shared/contract';
import { describeError } from '../../../stores/notifications';
import { useDomainEditorStore, type DomainTarget } from '../../../stores/domain-editor';

/**
 * Preview → dialog → apply, the one way the device pages and Add Hardware change a VM:
 * the user sees the XML diff, what happens live and what waits for the next shutdown before
 * anything is written. Binds straight onto EditPreviewDialog's props.
 */
export function useEditFlow(
  target: () => DomainTarget,
  onApplied?: (result: DomainEditResult) => void,
) {
  const store = useDomainEditorStore();
  const open = ref(false);
  const preview = ref<DomainEditPreview | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  let edit: DomainEdit | null = null;
  let beforeApply: (() => Promise<void>) | undefined;

  /**
   * Shows what `next` would do. `prepare` runs after the user confirms and before the edit
   * is applied (Add Hardware creates the new volume there, only once the user said yes).
   */
  async function propose(next: DomainEdit, prepare?: () => Promise<void>): Promise<void> {
    edit = next;
    beforeApply = prepare;
    preview.value = null;
    error.value = null;
    open.value = true;
    busy.value = true;
    try {
      preview.value = await store.preview(target(), next);
    } catch (err) {
      error.value = describeError(err).detail;
    } finally {
      busy.value = false;
    }
  }

  async function confirm(): Promise<void> {
    if (!edit || !preview.value || preview.value.refused) return;
    busy.value = true;
    error.value = null;
    try {
      if (beforeApply) {
        await beforeApply();
        // Done once: a retry after a failed apply must not create the volume again.
        beforeApply = undefined;
      }
      const result = await store.apply(target(), edit);
      open.value = false;
      edit = null;
      onApplied?.(result);
    } catch (err) {
      error.value = describeError(err).detail;
    } finally {
      busy.value = false;
    }
  }

  return { open, preview, busy, error, propose, confirm };
}
