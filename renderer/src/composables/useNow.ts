import { getCurrentScope, onScopeDispose, ref, type Ref } from 'vue';

/**
 * The current time (epoch ms), updated every `intervalMs`, for countdowns. Stops ticking
 * when the component or scope that called it goes away.
 */
export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), intervalMs);
  if (getCurrentScope()) onScopeDispose(() => clearInterval(timer));
  return now;
}
