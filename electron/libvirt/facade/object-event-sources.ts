import {
  VIR_NETWORK_EVENT_ID_LIFECYCLE,
  VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
  VIR_NODE_DEVICE_EVENT_ID_UPDATE,
  VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
  VIR_STORAGE_POOL_EVENT_ID_REFRESH,
  virNetworkEventLifecycleType,
  virNodeDeviceEventLifecycleType,
  virStoragePoolEventLifecycleType,
} from '../protocol/constants.gen';
import { remoteEvents as ev } from '../protocol/remote.gen';
import { eventSource, type EventSource } from '../client/event-source';
import { enumName } from './enum-name';
import type {
  NetworkEvent,
  NetworkEventKind,
  NodeDeviceEvent,
  NodeDeviceEventKind,
  StoragePoolEvent,
  StoragePoolEventKind,
} from './events';
import { networkRefFromRemote, poolRefFromRemote } from './object-refs';

/** Event sources for networks, storage pools and node devices (see domain-event-sources.ts). */

const id = (m: { callbackID: number }): number => m.callbackID;

export const networkEventSources: Readonly<
  Record<NetworkEventKind, readonly EventSource<NetworkEvent>[]>
> = {
  lifecycle: [
    eventSource('network', VIR_NETWORK_EVENT_ID_LIFECYCLE, ev.NETWORK_EVENT_LIFECYCLE, id, (m) => ({
      kind: 'lifecycle',
      net: networkRefFromRemote(m.net),
      event: m.event,
      eventName: enumName(virNetworkEventLifecycleType, 'VIR_NETWORK_EVENT_', m.event),
      detail: m.detail,
    })),
  ],
};

export const storagePoolEventSources: Readonly<
  Record<StoragePoolEventKind, readonly EventSource<StoragePoolEvent>[]>
> = {
  lifecycle: [
    eventSource(
      'storage-pool',
      VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
      ev.STORAGE_POOL_EVENT_LIFECYCLE,
      id,
      (m) => ({
        kind: 'lifecycle',
        pool: poolRefFromRemote(m.pool),
        event: m.event,
        eventName: enumName(virStoragePoolEventLifecycleType, 'VIR_STORAGE_POOL_EVENT_', m.event),
        detail: m.detail,
      }),
    ),
  ],
  refresh: [
    eventSource(
      'storage-pool',
      VIR_STORAGE_POOL_EVENT_ID_REFRESH,
      ev.STORAGE_POOL_EVENT_REFRESH,
      id,
      (m) => ({ kind: 'refresh', pool: poolRefFromRemote(m.pool) }),
    ),
  ],
};

export const nodeDeviceEventSources: Readonly<
  Record<NodeDeviceEventKind, readonly EventSource<NodeDeviceEvent>[]>
> = {
  lifecycle: [
    eventSource(
      'node-device',
      VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
      ev.NODE_DEVICE_EVENT_LIFECYCLE,
      id,
      (m) => ({
        kind: 'lifecycle',
        device: m.dev.name,
        event: m.event,
        eventName: enumName(virNodeDeviceEventLifecycleType, 'VIR_NODE_DEVICE_EVENT_', m.event),
        detail: m.detail,
      }),
    ),
  ],
  update: [
    eventSource(
      'node-device',
      VIR_NODE_DEVICE_EVENT_ID_UPDATE,
      ev.NODE_DEVICE_EVENT_UPDATE,
      id,
      (m) => ({ kind: 'update', device: m.dev.name }),
    ),
  ],
};
