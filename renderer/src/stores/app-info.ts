import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../../shared/contract';
import { call } from '../api/client';
import { describeError, useNotificationsStore, type ErrorDetail } from './notifications';

/** The application's name, version and which host (Electron or web) serves this renderer. */
export const useAppInfoStore = defineStore('appInfo', () => {
  const notifications = useNotificationsStore();

  const info = ref<AppInfo | null>(null);
  const loading = ref(false);
  const lastError = ref<ErrorDetail | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      info.value = await call('app:info', {});
      lastError.value = null;
    } catch (error) {
      lastError.value = describeError(error);
      notifications.reportError('errors.appInfoLoad', error);
    } finally {
      loading.value = false;
    }
  }

  return { info, loading, lastError, load };
});
