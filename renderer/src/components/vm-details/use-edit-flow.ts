import { ref } from 'vue';
import type { DomainEdit, DomainEditPreview, DomainEditResult } from '../../../../shared/contract';
import {
  useDomainEditorStore,
  type DomainTarget,
  type EditOptions as StoreEditOptions,
} from '../../stores/domain-editor';
import { describeError } from '../../stores/notifications';

export interface EditOptions extends StoreEditOptions {
  /**
   * Runs after the user confirms and before the edit is applied (Add Hardware creates the
   * new volume or mediated device there, only once the user said yes).
   */
  prepare?: () => Promise<void>;
}

/**
 * Preview → EditPreviewDialog → apply, the one way the Details pages, the device pages and
 * Add Hardware change a VM: the user sees the XML diff, what happens live and what waits for
 * the next shutdown before anything is written. The dialog binds straight onto `open`,
 * `preview`, `busy` and `error`; a failure keeps it open with libvirt's message.
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
  let proposed: { edit: DomainEdit; options: StoreEditOptions } | null = null;
  let beforeApply: (() => Promise<void>) | undefined;

  async function propose(edit: DomainEdit, { prepare, ...options }: EditOptions = {}) {
    proposed = { edit, options };
    beforeApply = prepare;
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
      if (beforeApply) {
        await beforeApply();
        // Done once: a retry after a failed apply must not create the volume again.
        beforeApply = undefined;
      }
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
