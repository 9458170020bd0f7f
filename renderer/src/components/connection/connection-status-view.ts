import {
  mdiAlertCircle,
  mdiCheckCircle,
  mdiCircleOutline,
  mdiKeyVariant,
  mdiProgressClock,
  mdiSync,
} from '@mdi/js';
import type {
  ConnectionFailure,
  ConnectionState,
  ConnectionStatus,
} from '../../../../shared/contract';

export interface ConnectionStatusView {
  icon: string;
  /** A theme colour name. */
  color: string;
  /** Spins while something is under way. */
  busy: boolean;
  /** libvirt's or ssh's own words for the failure, when there is one. */
  failure: ConnectionFailure | null;
  /** Whole seconds until the next reconnect attempt (reconnecting only). */
  retryInSeconds: number | null;
}

const looks: Record<ConnectionStatus, Pick<ConnectionStatusView, 'icon' | 'color' | 'busy'>> = {
  disconnected: { icon: mdiCircleOutline, color: 'secondary', busy: false },
  connecting: { icon: mdiProgressClock, color: 'info', busy: true },
  'auth-needed': { icon: mdiKeyVariant, color: 'warning', busy: false },
  connected: { icon: mdiCheckCircle, color: 'success', busy: false },
  failed: { icon: mdiAlertCircle, color: 'error', busy: false },
  reconnecting: { icon: mdiSync, color: 'warning', busy: true },
};

/**
 * How a row shows a connection's state. The countdown runs on the renderer's clock from
 * when the state arrived (`receivedAt`), so a host clock that differs does not skew it.
 */
export function connectionStatusView(
  state: ConnectionState,
  receivedAt: number,
  now: number,
): ConnectionStatusView {
  const base = looks[state.status];
  if (state.status === 'failed') {
    const { status: _status, ...failure } = state;
    return { ...base, failure, retryInSeconds: null };
  }
  if (state.status === 'reconnecting') {
    const left = state.inSeconds - (now - receivedAt) / 1000;
    return {
      ...base,
      failure: state.lastError,
      retryInSeconds: Math.max(0, Math.ceil(left)),
    };
  }
  return { ...base, failure: null, retryInSeconds: null };
}

/** Whether Disconnect makes sense: the connection is up or on its way up. */
export function isActive(status: ConnectionStatus): boolean {
  return (
    status === 'connected' ||
    status === 'connecting' ||
    status === 'auth-needed' ||
    status === 'reconnecting'
  );
}
