import type {
  virConnectDomainEventAgentLifecycleReason,
  virConnectDomainEventAgentLifecycleState,
  virConnectDomainEventBlockJobStatus,
  virConnectDomainEventDiskChangeReason,
  virDomainBlockJobType,
  virDomainEventGraphicsAddressType,
  virDomainEventGraphicsPhase,
  virDomainEventIOErrorAction,
  virDomainEventTrayChangeReason,
  virDomainEventType,
  virDomainEventWatchdogAction,
  virDomainMemoryFailureActionType,
  virDomainMemoryFailureRecipientType,
  virDomainMetadataType,
  virNetworkEventLifecycleType,
  virNodeDeviceEventLifecycleType,
  virStoragePoolEventLifecycleType,
} from '../protocol/constants.gen';
import type { DomainRef } from './domain-ref';
import type { EnumName } from './enum-name';
import type { NetworkRef, StoragePoolRef } from './object-refs';
import type { TypedParamRecord } from './stats';

/**
 * Typed libvirt events. Every numeric code keeps its number and gets the symbolic name from
 * the generated enum ('unknown' for codes newer than our tables).
 */

type Named<T, P extends string> = EnumName<T, P> | 'unknown';

interface DomainEventBase<K extends string> {
  kind: K;
  dom: DomainRef;
}

export interface DomainLifecycleEvent extends DomainEventBase<'lifecycle'> {
  /** virDomainEventType */
  event: number;
  eventName: Named<typeof virDomainEventType, 'VIR_DOMAIN_EVENT_'>;
  /** The per-event detail enum (virDomainEventStartedDetailType, …). */
  detail: number;
  detailName: string;
}

export type DomainRebootEvent = DomainEventBase<'reboot'>;
export type DomainControlErrorEvent = DomainEventBase<'control-error'>;

export interface DomainRtcChangeEvent extends DomainEventBase<'rtc-change'> {
  /** Guest RTC offset from the host's UTC, in seconds. */
  offsetSeconds: bigint;
}

export interface DomainWatchdogEvent extends DomainEventBase<'watchdog'> {
  action: number;
  actionName: Named<typeof virDomainEventWatchdogAction, 'VIR_DOMAIN_EVENT_WATCHDOG_'>;
}

export interface DomainIoErrorEvent extends DomainEventBase<'io-error'> {
  srcPath: string;
  devAlias: string;
  action: number;
  actionName: Named<typeof virDomainEventIOErrorAction, 'VIR_DOMAIN_EVENT_IO_ERROR_'>;
  /** e.g. 'enospc'; '' when the hypervisor gave none. */
  reason: string;
}

export interface GraphicsAddress {
  family: number;
  familyName: Named<typeof virDomainEventGraphicsAddressType, 'VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_'>;
  node: string;
  service: string;
}

export interface DomainGraphicsEvent extends DomainEventBase<'graphics'> {
  phase: number;
  phaseName: Named<typeof virDomainEventGraphicsPhase, 'VIR_DOMAIN_EVENT_GRAPHICS_'>;
  local: GraphicsAddress;
  remote: GraphicsAddress;
  authScheme: string;
  subject: Array<{ type: string; name: string }>;
}

export interface DomainBlockJobEvent extends DomainEventBase<'block-job'> {
  /** The disk's target (`vda`), from VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2. */
  disk: string;
  type: number;
  typeName: Named<typeof virDomainBlockJobType, 'VIR_DOMAIN_BLOCK_JOB_TYPE_'>;
  status: number;
  statusName: Named<typeof virConnectDomainEventBlockJobStatus, 'VIR_DOMAIN_BLOCK_JOB_'>;
}

export interface DomainDiskChangeEvent extends DomainEventBase<'disk-change'> {
  oldSrcPath: string | null;
  newSrcPath: string | null;
  devAlias: string;
  reason: number;
  reasonName: Named<typeof virConnectDomainEventDiskChangeReason, 'VIR_DOMAIN_EVENT_DISK_'>;
}

export interface DomainTrayChangeEvent extends DomainEventBase<'tray-change'> {
  devAlias: string;
  reason: number;
  reasonName: Named<typeof virDomainEventTrayChangeReason, 'VIR_DOMAIN_EVENT_TRAY_CHANGE_'>;
}

export interface DomainPmWakeupEvent extends DomainEventBase<'pm-wakeup'> {
  reason: number;
}

export interface DomainPmSuspendEvent extends DomainEventBase<'pm-suspend'> {
  reason: number;
  /** Suspended to disk (VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK) rather than to RAM. */
  toDisk: boolean;
}

export interface DomainBalloonChangeEvent extends DomainEventBase<'balloon-change'> {
  actualKiB: bigint;
}

export interface DomainDeviceEvent<K extends string> extends DomainEventBase<K> {
  devAlias: string;
}

export interface DomainTunableEvent extends DomainEventBase<'tunable'> {
  params: TypedParamRecord;
}

export interface DomainAgentLifecycleEvent extends DomainEventBase<'agent-lifecycle'> {
  state: number;
  stateName: Named<
    typeof virConnectDomainEventAgentLifecycleState,
    'VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_'
  >;
  reason: number;
  reasonName: Named<
    typeof virConnectDomainEventAgentLifecycleReason,
    'VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_'
  >;
}

export interface DomainMigrationIterationEvent extends DomainEventBase<'migration-iteration'> {
  iteration: number;
}

export interface DomainJobCompletedEvent extends DomainEventBase<'job-completed'> {
  /** The job's statistics (VIR_DOMAIN_JOB_* fields). */
  stats: TypedParamRecord;
}

export interface DomainMetadataChangeEvent extends DomainEventBase<'metadata-change'> {
  type: number;
  typeName: Named<typeof virDomainMetadataType, 'VIR_DOMAIN_METADATA_'>;
  /** Namespace URI for 'element' metadata. */
  nsuri: string | null;
}

export interface DomainBlockThresholdEvent extends DomainEventBase<'block-threshold'> {
  dev: string;
  path: string | null;
  threshold: bigint;
  excess: bigint;
}

export interface DomainMemoryFailureEvent extends DomainEventBase<'memory-failure'> {
  recipient: number;
  recipientName: Named<
    typeof virDomainMemoryFailureRecipientType,
    'VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_'
  >;
  action: number;
  actionName: Named<
    typeof virDomainMemoryFailureActionType,
    'VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_'
  >;
  /** virDomainMemoryFailureFlags */
  flags: number;
}

export interface DomainMemoryDeviceSizeChangeEvent extends DomainEventBase<'memory-device-size-change'> {
  alias: string;
  sizeKiB: bigint;
}

export type DomainEvent =
  | DomainLifecycleEvent
  | DomainRebootEvent
  | DomainRtcChangeEvent
  | DomainWatchdogEvent
  | DomainIoErrorEvent
  | DomainGraphicsEvent
  | DomainControlErrorEvent
  | DomainBlockJobEvent
  | DomainDiskChangeEvent
  | DomainTrayChangeEvent
  | DomainPmWakeupEvent
  | DomainPmSuspendEvent
  | DomainBalloonChangeEvent
  | DomainDeviceEvent<'device-removed'>
  | DomainDeviceEvent<'device-added'>
  | DomainDeviceEvent<'device-removal-failed'>
  | DomainTunableEvent
  | DomainAgentLifecycleEvent
  | DomainMigrationIterationEvent
  | DomainJobCompletedEvent
  | DomainMetadataChangeEvent
  | DomainBlockThresholdEvent
  | DomainMemoryFailureEvent
  | DomainMemoryDeviceSizeChangeEvent;

export type DomainEventKind = DomainEvent['kind'];

export interface NetworkLifecycleEvent {
  kind: 'lifecycle';
  net: NetworkRef;
  event: number;
  eventName: Named<typeof virNetworkEventLifecycleType, 'VIR_NETWORK_EVENT_'>;
  detail: number;
}

export type NetworkEvent = NetworkLifecycleEvent;
export type NetworkEventKind = NetworkEvent['kind'];

export interface StoragePoolLifecycleEvent {
  kind: 'lifecycle';
  pool: StoragePoolRef;
  event: number;
  eventName: Named<typeof virStoragePoolEventLifecycleType, 'VIR_STORAGE_POOL_EVENT_'>;
  detail: number;
}

export interface StoragePoolRefreshEvent {
  kind: 'refresh';
  pool: StoragePoolRef;
}

export type StoragePoolEvent = StoragePoolLifecycleEvent | StoragePoolRefreshEvent;
export type StoragePoolEventKind = StoragePoolEvent['kind'];

export interface NodeDeviceLifecycleEvent {
  kind: 'lifecycle';
  /** The node device's name, e.g. 'pci_0000_00_02_0'. */
  device: string;
  event: number;
  eventName: Named<typeof virNodeDeviceEventLifecycleType, 'VIR_NODE_DEVICE_EVENT_'>;
  detail: number;
}

export interface NodeDeviceUpdateEvent {
  kind: 'update';
  device: string;
}

export type NodeDeviceEvent = NodeDeviceLifecycleEvent | NodeDeviceUpdateEvent;
export type NodeDeviceEventKind = NodeDeviceEvent['kind'];
