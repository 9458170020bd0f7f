import { ref, type Ref } from 'vue';
import type { ErrorDetail } from '../../stores/notifications';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorDetail };

export interface DialogAction {
  /** The dialog's v-model: it starts open and closes itself once the action succeeds. */
  open: Ref<boolean>;
  busy: Ref<boolean>;
  /** The last attempt's failure, kept so the user can read it and try again. */
  error: Ref<ErrorDetail | null>;
  attempt: <T>(
    action: () => Promise<Outcome<T>>,
    onDone?: (value: T) => Promise<void> | void,
  ) => Promise<void>;
}

/** The state every ask-then-act dialog keeps around its one action (see BaseFormDialog). */
export function useDialogAction(): DialogAction {
  const open = ref(true);
  const busy = ref(false);
  const error = ref<ErrorDetail | null>(null);

  async function attempt<T>(
    action: () => Promise<Outcome<T>>,
    onDone?: (value: T) => Promise<void> | void,
  ): Promise<void> {
    busy.value = true;
    error.value = null;
    const result = await action();
    busy.value = false;
    if (!result.ok) {
      error.value = result.error;
      return;
    }
    await onDone?.(result.value);
    open.value = false;
  }

  return { open, busy, error, attempt };
}
