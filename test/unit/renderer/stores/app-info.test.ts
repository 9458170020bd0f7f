import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { useAppInfoStore } from '../../../../renderer/src/stores/app-info';
import { useNotificationsStore } from '../../../../renderer/src/stores/notifications';
import { FakeBridge } from '../fake-bridge';

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => installBridge(null));

describe('app info store', () => {
  it('loads the name, version and host kind', async () => {
    const info = {
      name: 'VirtDeck',
      version: '0.1.0',
      hostKind: 'electron',
      platform: 'linux',
    } as const;
    installBridge(new FakeBridge().handle('app:info', () => info));
    const store = useAppInfoStore();
    await store.load();
    expect(store.info).toEqual(info);
    expect(store.loading).toBe(false);
  });

  it('reports a failure with the host message and leaves info empty', async () => {
    installBridge(
      new FakeBridge().fail('app:info', { kind: 'transport', message: 'socket hang up' }),
    );
    const store = useAppInfoStore();
    await store.load();
    expect(store.info).toBeNull();
    expect(store.lastError).toEqual({ detail: 'socket hang up', kind: 'transport' });
    expect(useNotificationsStore().current).toMatchObject({
      summary: { key: 'errors.appInfoLoad' },
      detail: 'socket hang up',
    });
  });
});
