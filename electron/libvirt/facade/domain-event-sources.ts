import {
  VIR_DOMAIN_EVENT_CRASHED,
  VIR_DOMAIN_EVENT_DEFINED,
  VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE,
  VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE,
  VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
  VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD,
  VIR_DOMAIN_EVENT_ID_CONTROL_ERROR,
  VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
  VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED,
  VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
  VIR_DOMAIN_EVENT_ID_DISK_CHANGE,
  VIR_DOMAIN_EVENT_ID_GRAPHICS,
  VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON,
  VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
  VIR_DOMAIN_EVENT_ID_LIFECYCLE,
  VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE,
  VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE,
  VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
  VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
  VIR_DOMAIN_EVENT_ID_PMSUSPEND,
  VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK,
  VIR_DOMAIN_EVENT_ID_PMWAKEUP,
  VIR_DOMAIN_EVENT_ID_REBOOT,
  VIR_DOMAIN_EVENT_ID_RTC_CHANGE,
  VIR_DOMAIN_EVENT_ID_TRAY_CHANGE,
  VIR_DOMAIN_EVENT_ID_TUNABLE,
  VIR_DOMAIN_EVENT_ID_WATCHDOG,
  VIR_DOMAIN_EVENT_PMSUSPENDED,
  VIR_DOMAIN_EVENT_RESUMED,
  VIR_DOMAIN_EVENT_SHUTDOWN,
  VIR_DOMAIN_EVENT_STARTED,
  VIR_DOMAIN_EVENT_STOPPED,
  VIR_DOMAIN_EVENT_SUSPENDED,
  VIR_DOMAIN_EVENT_UNDEFINED,
  virConnectDomainEventAgentLifecycleReason,
  virConnectDomainEventAgentLifecycleState,
  virConnectDomainEventBlockJobStatus,
  virConnectDomainEventDiskChangeReason,
  virDomainBlockJobType,
  virDomainEventCrashedDetailType,
  virDomainEventDefinedDetailType,
  virDomainEventGraphicsAddressType,
  virDomainEventGraphicsPhase,
  virDomainEventIOErrorAction,
  virDomainEventPMSuspendedDetailType,
  virDomainEventResumedDetailType,
  virDomainEventShutdownDetailType,
  virDomainEventStartedDetailType,
  virDomainEventStoppedDetailType,
  virDomainEventSuspendedDetailType,
  virDomainEventTrayChangeReason,
  virDomainEventType,
  virDomainEventUndefinedDetailType,
  virDomainEventWatchdogAction,
  virDomainMemoryFailureActionType,
  virDomainMemoryFailureRecipientType,
  virDomainMetadataType,
} from '../protocol/constants.gen';
import {
  remoteEvents,
  type RemoteDomainEventGraphicsAddress,
  type RemoteNonnullDomain,
} from '../protocol/remote.gen';
import { eventSource, type EventSource } from '../client/event-source';
import type { EventInfo } from '../rpc/procedure';
import { domainRefFromRemote } from './domain-ref';
import { enumName } from './enum-name';
import type { DomainEvent, DomainEventKind, GraphicsAddress } from './events';
import { typedParamsToRecord } from './stats';

const ev = remoteEvents;

// Which detail enum belongs to which lifecycle event (libvirt-domain.h pairs them by name).
const LIFECYCLE_DETAILS: ReadonlyMap<number, readonly [Readonly<Record<string, number>>, string]> =
  new Map([
    [VIR_DOMAIN_EVENT_DEFINED, [virDomainEventDefinedDetailType, 'VIR_DOMAIN_EVENT_DEFINED_']],
    [
      VIR_DOMAIN_EVENT_UNDEFINED,
      [virDomainEventUndefinedDetailType, 'VIR_DOMAIN_EVENT_UNDEFINED_'],
    ],
    [VIR_DOMAIN_EVENT_STARTED, [virDomainEventStartedDetailType, 'VIR_DOMAIN_EVENT_STARTED_']],
    [
      VIR_DOMAIN_EVENT_SUSPENDED,
      [virDomainEventSuspendedDetailType, 'VIR_DOMAIN_EVENT_SUSPENDED_'],
    ],
    [VIR_DOMAIN_EVENT_RESUMED, [virDomainEventResumedDetailType, 'VIR_DOMAIN_EVENT_RESUMED_']],
    [VIR_DOMAIN_EVENT_STOPPED, [virDomainEventStoppedDetailType, 'VIR_DOMAIN_EVENT_STOPPED_']],
    [VIR_DOMAIN_EVENT_SHUTDOWN, [virDomainEventShutdownDetailType, 'VIR_DOMAIN_EVENT_SHUTDOWN_']],
    [
      VIR_DOMAIN_EVENT_PMSUSPENDED,
      [virDomainEventPMSuspendedDetailType, 'VIR_DOMAIN_EVENT_PMSUSPENDED_'],
    ],
    [VIR_DOMAIN_EVENT_CRASHED, [virDomainEventCrashedDetailType, 'VIR_DOMAIN_EVENT_CRASHED_']],
  ]);

/** The symbolic name of a lifecycle event's detail code, e.g. STOPPED/1 → 'destroyed'. */
export function lifecycleDetailName(event: number, detail: number): string {
  const pair = LIFECYCLE_DETAILS.get(event);
  return pair ? enumName(pair[0], pair[1], detail) : 'unknown';
}

function graphicsAddress(a: RemoteDomainEventGraphicsAddress): GraphicsAddress {
  return {
    family: a.family,
    familyName: enumName(
      virDomainEventGraphicsAddressType,
      'VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_',
      a.family,
    ),
    node: a.node,
    service: a.service,
  };
}

const base = <K extends DomainEventKind>(kind: K, dom: RemoteNonnullDomain) => ({
  kind,
  dom: domainRefFromRemote(dom),
});

const id = (m: { callbackID: number }): number => m.callbackID;

function domainSource<M extends { callbackID: number }>(
  eventId: number,
  info: EventInfo<M>,
  decode: (msg: M) => DomainEvent,
): EventSource<DomainEvent> {
  return eventSource('domain', eventId, info, id, decode);
}

/**
 * For each event kind, the server-side event IDs to register and how their messages decode.
 * 'io-error' uses IO_ERROR_REASON (a superset of IO_ERROR) and 'block-job' uses BLOCK_JOB_2
 * (names the disk target): registering both variants would report each occurrence twice.
 */
export const domainEventSources: Readonly<
  Record<DomainEventKind, readonly EventSource<DomainEvent>[]>
> = {
  lifecycle: [
    domainSource(
      VIR_DOMAIN_EVENT_ID_LIFECYCLE,
      ev.DOMAIN_EVENT_CALLBACK_LIFECYCLE,
      ({ msg: m }) => ({
        ...base('lifecycle', m.dom),
        event: m.event,
        eventName: enumName(virDomainEventType, 'VIR_DOMAIN_EVENT_', m.event),
        detail: m.detail,
        detailName: lifecycleDetailName(m.event, m.detail),
      }),
    ),
  ],
  reboot: [
    domainSource(VIR_DOMAIN_EVENT_ID_REBOOT, ev.DOMAIN_EVENT_CALLBACK_REBOOT, ({ msg: m }) =>
      base('reboot', m.dom),
    ),
  ],
  'rtc-change': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_RTC_CHANGE,
      ev.DOMAIN_EVENT_CALLBACK_RTC_CHANGE,
      ({ msg: m }) => ({
        ...base('rtc-change', m.dom),
        offsetSeconds: m.offset,
      }),
    ),
  ],
  watchdog: [
    domainSource(VIR_DOMAIN_EVENT_ID_WATCHDOG, ev.DOMAIN_EVENT_CALLBACK_WATCHDOG, ({ msg: m }) => ({
      ...base('watchdog', m.dom),
      action: m.action,
      actionName: enumName(virDomainEventWatchdogAction, 'VIR_DOMAIN_EVENT_WATCHDOG_', m.action),
    })),
  ],
  'io-error': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON,
      ev.DOMAIN_EVENT_CALLBACK_IO_ERROR_REASON,
      ({ msg: m }) => ({
        ...base('io-error', m.dom),
        srcPath: m.srcPath,
        devAlias: m.devAlias,
        action: m.action,
        actionName: enumName(virDomainEventIOErrorAction, 'VIR_DOMAIN_EVENT_IO_ERROR_', m.action),
        reason: m.reason,
      }),
    ),
  ],
  graphics: [
    domainSource(VIR_DOMAIN_EVENT_ID_GRAPHICS, ev.DOMAIN_EVENT_CALLBACK_GRAPHICS, ({ msg: m }) => ({
      ...base('graphics', m.dom),
      phase: m.phase,
      phaseName: enumName(virDomainEventGraphicsPhase, 'VIR_DOMAIN_EVENT_GRAPHICS_', m.phase),
      local: graphicsAddress(m.local),
      remote: graphicsAddress(m.remote),
      authScheme: m.authScheme,
      subject: m.subject.map((s) => ({ type: s.type, name: s.name })),
    })),
  ],
  'control-error': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_CONTROL_ERROR,
      ev.DOMAIN_EVENT_CALLBACK_CONTROL_ERROR,
      ({ msg: m }) => base('control-error', m.dom),
    ),
  ],
  'block-job': [
    domainSource(VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, ev.DOMAIN_EVENT_BLOCK_JOB_2, (m) => ({
      ...base('block-job', m.dom),
      disk: m.dst,
      type: m.type,
      typeName: enumName(virDomainBlockJobType, 'VIR_DOMAIN_BLOCK_JOB_TYPE_', m.type),
      status: m.status,
      statusName: enumName(virConnectDomainEventBlockJobStatus, 'VIR_DOMAIN_BLOCK_JOB_', m.status),
    })),
  ],
  'disk-change': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_DISK_CHANGE,
      ev.DOMAIN_EVENT_CALLBACK_DISK_CHANGE,
      ({ msg: m }) => ({
        ...base('disk-change', m.dom),
        oldSrcPath: m.oldSrcPath,
        newSrcPath: m.newSrcPath,
        devAlias: m.devAlias,
        reason: m.reason,
        reasonName: enumName(
          virConnectDomainEventDiskChangeReason,
          'VIR_DOMAIN_EVENT_DISK_',
          m.reason,
        ),
      }),
    ),
  ],
  'tray-change': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_TRAY_CHANGE,
      ev.DOMAIN_EVENT_CALLBACK_TRAY_CHANGE,
      ({ msg: m }) => ({
        ...base('tray-change', m.dom),
        devAlias: m.devAlias,
        reason: m.reason,
        reasonName: enumName(
          virDomainEventTrayChangeReason,
          'VIR_DOMAIN_EVENT_TRAY_CHANGE_',
          m.reason,
        ),
      }),
    ),
  ],
  'pm-wakeup': [
    domainSource(VIR_DOMAIN_EVENT_ID_PMWAKEUP, ev.DOMAIN_EVENT_CALLBACK_PMWAKEUP, (m) => ({
      ...base('pm-wakeup', m.msg.dom),
      reason: m.reason,
    })),
  ],
  'pm-suspend': [
    domainSource(VIR_DOMAIN_EVENT_ID_PMSUSPEND, ev.DOMAIN_EVENT_CALLBACK_PMSUSPEND, (m) => ({
      ...base('pm-suspend', m.msg.dom),
      reason: m.reason,
      toDisk: false,
    })),
    domainSource(
      VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK,
      ev.DOMAIN_EVENT_CALLBACK_PMSUSPEND_DISK,
      (m) => ({
        ...base('pm-suspend', m.msg.dom),
        reason: m.reason,
        toDisk: true,
      }),
    ),
  ],
  'balloon-change': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE,
      ev.DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE,
      ({ msg: m }) => ({ ...base('balloon-change', m.dom), actualKiB: m.actual }),
    ),
  ],
  'device-removed': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
      ev.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED,
      ({ msg: m }) => ({ ...base('device-removed', m.dom), devAlias: m.devAlias }),
    ),
  ],
  tunable: [
    domainSource(VIR_DOMAIN_EVENT_ID_TUNABLE, ev.DOMAIN_EVENT_CALLBACK_TUNABLE, (m) => ({
      ...base('tunable', m.dom),
      params: typedParamsToRecord(m.params),
    })),
  ],
  'agent-lifecycle': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE,
      ev.DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE,
      (m) => ({
        ...base('agent-lifecycle', m.dom),
        state: m.state,
        stateName: enumName(
          virConnectDomainEventAgentLifecycleState,
          'VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_',
          m.state,
        ),
        reason: m.reason,
        reasonName: enumName(
          virConnectDomainEventAgentLifecycleReason,
          'VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_',
          m.reason,
        ),
      }),
    ),
  ],
  'device-added': [
    domainSource(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, ev.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED, (m) => ({
      ...base('device-added', m.dom),
      devAlias: m.devAlias,
    })),
  ],
  'migration-iteration': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
      ev.DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION,
      (m) => ({ ...base('migration-iteration', m.dom), iteration: m.iteration }),
    ),
  ],
  'job-completed': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
      ev.DOMAIN_EVENT_CALLBACK_JOB_COMPLETED,
      (m) => ({
        ...base('job-completed', m.dom),
        stats: typedParamsToRecord(m.params),
      }),
    ),
  ],
  'device-removal-failed': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED,
      ev.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED,
      (m) => ({ ...base('device-removal-failed', m.dom), devAlias: m.devAlias }),
    ),
  ],
  'metadata-change': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
      ev.DOMAIN_EVENT_CALLBACK_METADATA_CHANGE,
      (m) => ({
        ...base('metadata-change', m.dom),
        type: m.type,
        typeName: enumName(virDomainMetadataType, 'VIR_DOMAIN_METADATA_', m.type),
        nsuri: m.nsuri,
      }),
    ),
  ],
  'block-threshold': [
    domainSource(VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD, ev.DOMAIN_EVENT_BLOCK_THRESHOLD, (m) => ({
      ...base('block-threshold', m.dom),
      dev: m.dev,
      path: m.path,
      threshold: m.threshold,
      excess: m.excess,
    })),
  ],
  'memory-failure': [
    domainSource(VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE, ev.DOMAIN_EVENT_MEMORY_FAILURE, (m) => ({
      ...base('memory-failure', m.dom),
      recipient: m.recipient,
      recipientName: enumName(
        virDomainMemoryFailureRecipientType,
        'VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_',
        m.recipient,
      ),
      action: m.action,
      actionName: enumName(
        virDomainMemoryFailureActionType,
        'VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_',
        m.action,
      ),
      flags: m.flags,
    })),
  ],
  'memory-device-size-change': [
    domainSource(
      VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE,
      ev.DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE,
      (m) => ({ ...base('memory-device-size-change', m.dom), alias: m.alias, sizeKiB: m.size }),
    ),
  ],
};
