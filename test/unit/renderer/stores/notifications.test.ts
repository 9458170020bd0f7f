import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { VirtDeckError } from '../../../../shared/contract';
import {
  describeError,
  useNotificationsStore,
} from '../../../../renderer/src/stores/notifications';

beforeEach(() => setActivePinia(createPinia()));

describe('describeError', () => {
  it("keeps a VirtDeckError's message, kind and libvirt code name", () => {
    const error = new VirtDeckError({
      kind: 'libvirt',
      message: "Requested operation is not valid: network 'default' is not active",
      code: 55,
      codeName: 'VIR_ERR_OPERATION_INVALID',
    });
    expect(describeError(error)).toEqual({
      detail: "Requested operation is not valid: network 'default' is not active",
      kind: 'libvirt',
      codeName: 'VIR_ERR_OPERATION_INVALID',
    });
  });

  it('falls back to the numeric code when no name is known', () => {
    const error = new VirtDeckError({ kind: 'libvirt', message: 'odd', code: 999 });
    expect(describeError(error).codeName).toBe('code 999');
  });

  it('names the error type unless it is a plain Error', () => {
    expect(describeError(new Error('disk full'))).toEqual({ detail: 'disk full' });
    expect(describeError(new TypeError("can't read 'uuid' of undefined"))).toEqual({
      detail: "TypeError: can't read 'uuid' of undefined",
    });
  });

  it('describes thrown values that are not errors', () => {
    expect(describeError('plain text')).toEqual({ detail: 'plain text' });
    expect(describeError({ code: 7 })).toEqual({ detail: 'Non-error value thrown: {"code":7}' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeError(cyclic)).toEqual({ detail: 'Non-error value thrown: [object Object]' });
  });
});

describe('notifications store', () => {
  it('shows notifications one at a time, oldest first, until dismissed', () => {
    const store = useNotificationsStore();
    expect(store.current).toBeNull();
    const first = store.reportError('errors.prefsLoad', new Error('first'));
    store.reportError('errors.appInfoLoad', new Error('second'), { extra: 1 });
    expect(store.current).toMatchObject({ id: first, detail: 'first', severity: 'error' });

    store.dismiss(first);
    expect(store.current).toMatchObject({
      summary: { key: 'errors.appInfoLoad', params: { extra: 1 } },
      detail: 'second',
    });
    store.dismiss(store.current!.id);
    expect(store.items).toEqual([]);
  });
});
