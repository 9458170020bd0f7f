import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  VirtDeckError,
  type AppInfo,
  type Preferences,
  type VirtDeckBridge,
} from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { call, onEvent } from '../../../../renderer/src/api/client';
import { FakeBridge } from '../fake-bridge';

afterEach(() => installBridge(null));

describe('client', () => {
  it('is typed by the contract: outputs, inputs and event payloads', () => {
    expectTypeOf(call<'app:info'>).returns.resolves.toEqualTypeOf<AppInfo>();
    expectTypeOf(call<'prefs:set'>)
      .parameter(1)
      .toEqualTypeOf<Partial<Preferences>>();
    expectTypeOf(onEvent<'prefs:changed'>)
      .parameter(1)
      .parameter(0)
      .toEqualTypeOf<Preferences>();
  });

  it('returns the value of a successful call', async () => {
    const bridge = new FakeBridge().handle('prefs:set', (input) => ({
      theme: input.theme ?? 'system',
      locale: null,
    }));
    installBridge(bridge);
    await expect(call('prefs:set', { theme: 'dark' })).resolves.toEqual({
      theme: 'dark',
      locale: null,
    });
    expect(bridge.calls).toEqual([{ channel: 'prefs:set', input: { theme: 'dark' } }]);
  });

  it("throws a VirtDeckError that keeps the host's kind, code and message", async () => {
    installBridge(
      new FakeBridge().fail('app:info', {
        kind: 'libvirt',
        message: "Domain not found: no domain with matching name 'web01'",
        code: 42,
        domain: 10,
        codeName: 'VIR_ERR_NO_DOMAIN',
      }),
    );
    const error = await call('app:info', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VirtDeckError);
    expect((error as VirtDeckError).toContractError()).toEqual({
      kind: 'libvirt',
      message: "Domain not found: no domain with matching name 'web01'",
      code: 42,
      domain: 10,
      codeName: 'VIR_ERR_NO_DOMAIN',
      path: undefined,
    });
  });

  it('turns a bridge that rejects into a transport error with its message', async () => {
    const broken: VirtDeckBridge = {
      api: new FakeBridge().api,
      onEvent: () => () => undefined,
    };
    broken.api.app.info = () => Promise.reject(new Error('IPC channel closed'));
    installBridge(broken);
    await expect(call('app:info', {})).rejects.toMatchObject({
      name: 'VirtDeckError',
      kind: 'transport',
      message: 'IPC channel closed',
    });
  });

  it('says so when the host does not provide a channel', async () => {
    const partial = { api: {}, onEvent: () => () => undefined } as unknown as VirtDeckBridge;
    installBridge(partial);
    await expect(call('prefs:get', {})).rejects.toMatchObject({
      kind: 'internal',
      message: expect.stringMatching(/does not provide prefs:get/),
    });
  });

  it('delivers only the named event and stops after unsubscribing', () => {
    const bridge = new FakeBridge();
    installBridge(bridge);
    const seen: unknown[] = [];
    const stop = onEvent('prefs:changed', (payload) => seen.push(payload));
    bridge.emit('prefs:changed', { theme: 'light', locale: 'en' });
    stop();
    bridge.emit('prefs:changed', { theme: 'dark', locale: 'en' });
    expect(seen).toEqual([{ theme: 'light', locale: 'en' }]);
    expect(bridge.listenerCount).toBe(0);
  });
});
