import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type {
  ChannelName,
  DefaultNetworkStatus,
  InputOf,
  OutputOf,
  NetworkLease,
  NetworkSummary,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import { describeError, type ErrorDetail } from './notifications';

export interface HostNetworks {
  networks: NetworkSummary[];
  defaultStatus: DefaultNetworkStatus['status'] | null;
  loading: boolean;
  error: ErrorDetail | null;
}

const REREAD_DELAY_MS = 80;

/**
 * Virtual networks of the hosts whose networks are on screen, re-read on 'net:changed'
 * (ours and libvirt's network events, so `virsh net-start` elsewhere shows here too).
 */
export const useNetworksStore = defineStore('networks', () => {
  const hosts = reactive(new Map<string, HostNetworks>());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let unsubscribe: (() => void) | null = null;

  function hostOf(connectionId: string): HostNetworks {
    let h = hosts.get(connectionId);
    if (!h) {
      hosts.set(connectionId, { networks: [], defaultStatus: null, loading: false, error: null });
      h = hosts.get(connectionId) as HostNetworks;
    }
    return h;
  }

  function follow(): void {
    if (unsubscribe) return;
    unsubscribe = onEvent('net:changed', (e) => {
      if (!hosts.has(e.connectionId)) return;
      clearTimeout(timers.get(e.connectionId));
      timers.set(
        e.connectionId,
        setTimeout(() => {
          timers.delete(e.connectionId);
          void load(e.connectionId);
        }, REREAD_DELAY_MS),
      );
    });
  }

  async function load(connectionId: string): Promise<void> {
    follow();
    const h = hostOf(connectionId);
    h.loading = true;
    try {
      const list = await call('net:list', { connectionId });
      h.networks = list;
      const def = list.find((n) => n.name === 'default');
      h.defaultStatus = !def ? 'missing' : def.active ? 'active' : 'inactive';
      h.error = null;
    } catch (error) {
      h.error = describeError(error);
    } finally {
      h.loading = false;
    }
  }

  async function leases(
    connectionId: string,
    network: string,
  ): Promise<{ ok: true; value: NetworkLease[] } | { ok: false; error: ErrorDetail }> {
    try {
      return { ok: true, value: await call('net:leases', { connectionId, network }) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /** Any network call, its failure kept for the form or row to show inline. */
  async function act<C extends ChannelName>(
    channel: C,
    input: InputOf<C>,
  ): Promise<{ ok: true; value: OutputOf<C> } | { ok: false; error: ErrorDetail }> {
    try {
      return { ok: true, value: await call(channel, input) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  }

  return { hosts, hostOf, load, leases, act, dispose };
});
