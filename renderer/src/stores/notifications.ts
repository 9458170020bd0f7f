import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { VirtDeckError, type ErrorKind } from '../../../shared/contract';
import type { MessageKey } from '../locales/message-key';

export type NotificationSeverity = 'error' | 'warning' | 'info' | 'success';

export interface AppNotification {
  id: number;
  severity: NotificationSeverity;
  /** Translated at display time, so a language switch also changes notifications on screen. */
  summary: { key: MessageKey; params?: Record<string, string | number> };
  /** The original text (libvirt's message, the exception's message), never translated. */
  detail?: string;
  /** Where the error came from and its symbolic code, e.g. libvirt / VIR_ERR_NO_DOMAIN. */
  kind?: ErrorKind;
  codeName?: string;
}

export interface ErrorDetail {
  detail: string;
  kind?: ErrorKind;
  codeName?: string;
}

/** Keeps everything an error carries; only a value that is no Error at all gets described. */
export function describeError(error: unknown): ErrorDetail {
  if (error instanceof VirtDeckError) {
    const codeName =
      error.codeName ?? (error.code !== undefined ? `code ${error.code}` : undefined);
    return { detail: error.message, kind: error.kind, ...(codeName ? { codeName } : {}) };
  }
  if (error instanceof Error) {
    // A TypeError's name is part of what went wrong; a plain Error's adds nothing.
    return {
      detail:
        error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message,
    };
  }
  if (typeof error === 'string') return { detail: error };
  try {
    return { detail: `Non-error value thrown: ${JSON.stringify(error)}` };
  } catch {
    return { detail: `Non-error value thrown: ${Object.prototype.toString.call(error)}` };
  }
}

export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<AppNotification[]>([]);
  let nextId = 1;

  /** The one shown now; the rest wait their turn. */
  const current = computed(() => items.value[0] ?? null);

  function notify(notification: Omit<AppNotification, 'id'>): number {
    const id = nextId++;
    items.value.push({ ...notification, id });
    return id;
  }

  /** A summary of what failed, in the user's language, with the error's own text as detail. */
  function reportError(
    summaryKey: MessageKey,
    error: unknown,
    params?: Record<string, string | number>,
  ): number {
    return notify({
      severity: 'error',
      summary: params ? { key: summaryKey, params } : { key: summaryKey },
      ...describeError(error),
    });
  }

  function dismiss(id: number): void {
    items.value = items.value.filter((item) => item.id !== id);
  }

  return { items, current, notify, reportError, dismiss };
});
