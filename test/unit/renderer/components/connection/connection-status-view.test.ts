import { describe, expect, it } from 'vitest';
import {
  connectionStatusView,
  isActive,
} from '../../../../../renderer/src/components/connection/connection-status-view';

describe('connectionStatusView', () => {
  it("shows libvirt's own failure with its code", () => {
    const view = connectionStatusView(
      {
        status: 'failed',
        message: "unable to connect to server at 'lab:16514': Connection refused",
        kind: 'libvirt',
        code: 38,
        codeName: 'VIR_ERR_SYSTEM_ERROR',
      },
      0,
      0,
    );
    expect(view.color).toBe('error');
    expect(view.failure).toEqual({
      message: "unable to connect to server at 'lab:16514': Connection refused",
      kind: 'libvirt',
      code: 38,
      codeName: 'VIR_ERR_SYSTEM_ERROR',
    });
    expect(view.retryInSeconds).toBeNull();
  });

  it('counts down to the next reconnect on the renderer clock, never below zero', () => {
    const state = {
      status: 'reconnecting' as const,
      inSeconds: 10,
      // A host clock an hour off must not matter.
      retryAt: 3_600_000,
      attempt: 2,
      lastError: { message: 'End of file while reading data', kind: 'transport' as const },
    };
    const received = 1_000_000;
    expect(connectionStatusView(state, received, received).retryInSeconds).toBe(10);
    expect(connectionStatusView(state, received, received + 3_200).retryInSeconds).toBe(7);
    expect(connectionStatusView(state, received, received + 9_999).retryInSeconds).toBe(1);
    expect(connectionStatusView(state, received, received + 12_000).retryInSeconds).toBe(0);
    expect(connectionStatusView(state, received, received).failure?.message).toBe(
      'End of file while reading data',
    );
    expect(connectionStatusView(state, received, received).busy).toBe(true);
  });

  it('has no failure for the calm states', () => {
    for (const state of [
      { status: 'connected' as const, since: 1 },
      { status: 'disconnected' as const },
      { status: 'connecting' as const },
      { status: 'auth-needed' as const, promptId: 'p' },
    ]) {
      expect(connectionStatusView(state, 0, 0).failure, state.status).toBeNull();
    }
  });

  it('offers Disconnect for a connection that is up or on its way', () => {
    expect(isActive('connected')).toBe(true);
    expect(isActive('reconnecting')).toBe(true);
    expect(isActive('auth-needed')).toBe(true);
    expect(isActive('connecting')).toBe(true);
    expect(isActive('failed')).toBe(false);
    expect(isActive('disconnected')).toBe(false);
  });
});
