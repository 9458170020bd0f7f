import { ref, watch, type Ref } from 'vue';

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function storage(): StorageLike | null {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage ?? null;
  } catch {
    // A browser that blocks storage throws on access; the view then simply forgets.
    return null;
  }
}

/**
 * A ref remembered in this window's localStorage under `virtdeck.<key>`: view settings
 * (columns, sorting, grouping) that are about how this person looks at the list, not
 * preferences of the app. `parse` turns what was stored back into a valid value, or null
 * to use the default — stored text is never trusted as it is.
 */
export function usePersistedState<T>(
  key: string,
  fallback: T,
  parse: (stored: unknown) => T | null,
): Ref<T> {
  const name = `virtdeck.${key}`;
  let initial = fallback;
  const text = storage()?.getItem(name);
  if (text) {
    try {
      initial = parse(JSON.parse(text)) ?? fallback;
    } catch {
      initial = fallback;
    }
  }
  const state = ref(initial) as Ref<T>;
  watch(
    state,
    (value) => {
      try {
        storage()?.setItem(name, JSON.stringify(value));
      } catch {
        // Quota or privacy mode: keep working with the value in memory.
      }
    },
    { deep: true },
  );
  return state;
}
