import { defineStore } from 'pinia';
import { ref } from 'vue';
import { onLinkState, type LinkState } from '../api/client';

/**
 * Whether the renderer can reach its host right now. Under Electron it is always open; the
 * web host's WebSocket can drop and reconnect, and the status bar says so.
 */
export const useHostLinkStore = defineStore('hostLink', () => {
  const state = ref<LinkState>('connecting');
  let stop: (() => void) | null = null;

  function init(): void {
    stop?.();
    stop = onLinkState((next) => (state.value = next));
  }

  function dispose(): void {
    stop?.();
    stop = null;
  }

  return { state, init, dispose };
});
