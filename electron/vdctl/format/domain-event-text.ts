import type { DomainEvent, GraphicsAddress } from '../../libvirt/facade/events';
import type { TypedParamRecord } from '../../libvirt/facade/stats';
import { lifecycleEventWords } from './virsh-words';

// `virsh event` lines, kind by kind, in virsh 9.0's wording. Each function returns the
// complete text of one event (one or more lines, each ending in '\n').

const WATCHDOG_ACTIONS = ['none', 'pause', 'reset', 'poweroff', 'shutdown', 'debug', 'inject-nmi'];
const IO_ERROR_ACTIONS = ['none', 'pause', 'report'];
const GRAPHICS_PHASES = ['connect', 'initialize', 'disconnect'];
const GRAPHICS_FAMILIES = ['IPv4', 'IPv6', 'unix'];
const BLOCK_JOB_TYPES = [
  'Unknown job',
  'Block Pull',
  'Block Copy',
  'Block Commit',
  'Active Block Commit',
  'Backup',
];
const BLOCK_JOB_STATUS = ['completed', 'failed', 'canceled', 'ready'];
const DISK_CHANGE_REASONS = ['changed', 'dropped'];
const AGENT_STATES = ['unknown', 'connected', 'disconnected'];
const AGENT_REASONS = ['unknown', 'domain started', 'channel event'];
const METADATA_TYPES = ['description', 'title', 'element'];
const MEMORY_FAILURE_RECIPIENTS = ['hypervisor', 'guest'];
const MEMORY_FAILURE_ACTIONS = ['ignore', 'inject', 'fatal', 'reset'];

const word = (table: readonly string[], value: number, fallback = 'unknown'): string =>
  table[value] ?? fallback;

/** virTypedParameterToString: booleans as 1/0, doubles with six decimals. */
function paramText(value: TypedParamRecord[string]): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(6);
  return String(value);
}

function paramLines(params: TypedParamRecord): string {
  return Object.entries(params)
    .map(([field, value]) => `\t${field}: ${paramText(value)}\n`)
    .join('');
}

function address(a: GraphicsAddress): string {
  return `${word(GRAPHICS_FAMILIES, a.family)} ${a.node} ${a.service}`;
}

/** The name virsh gives the callback that delivers this event. */
export function virshEventName(event: DomainEvent): string {
  if (event.kind === 'block-job') return 'block-job-2';
  if (event.kind === 'pm-suspend' && event.toDisk) return 'pm-suspend-disk';
  if (event.kind === 'io-error' && event.reason !== '') return 'io-error-reason';
  return event.kind;
}

export function formatDomainEvent(event: DomainEvent): string {
  const head = `event '${virshEventName(event)}' for domain '${event.dom.name}'`;
  switch (event.kind) {
    case 'lifecycle': {
      const [type, detail] = lifecycleEventWords(event.event, event.detail);
      return `${head}: ${type} ${detail}\n`;
    }
    case 'reboot':
    case 'control-error':
    case 'pm-wakeup':
    case 'pm-suspend':
      return `${head}\n`;
    case 'rtc-change':
      return `${head}: ${event.offsetSeconds}\n`;
    case 'watchdog':
      return `${head}: ${word(WATCHDOG_ACTIONS, event.action)}\n`;
    case 'io-error': {
      const reason = event.reason !== '' ? ` due to ${event.reason}` : '';
      return `${head}: ${event.srcPath} (${event.devAlias}) ${word(IO_ERROR_ACTIONS, event.action)}${reason}\n`;
    }
    case 'graphics':
      return (
        `${head}: ${word(GRAPHICS_PHASES, event.phase)} local[${address(event.local)}] ` +
        `remote[${address(event.remote)}] ${event.authScheme}\n` +
        event.subject.map((s) => `\t${s.type}=${s.name}\n`).join('')
      );
    case 'block-job':
      return `${head}: ${word(BLOCK_JOB_TYPES, event.type, 'Unknown job')} for ${event.disk} ${word(BLOCK_JOB_STATUS, event.status)}\n`;
    case 'disk-change':
      return `event 'disk-change' for domain '${event.dom.name}' disk ${event.devAlias}: ${event.oldSrcPath ?? '(null)'} -> ${event.newSrcPath ?? '(null)'}: ${word(DISK_CHANGE_REASONS, event.reason)}\n`;
    case 'tray-change':
      return `event 'tray-change' for domain '${event.dom.name}' disk ${event.devAlias}: ${word(['opened', 'closed'], event.reason)}\n`;
    case 'balloon-change':
      return `${head}: ${event.actualKiB}KiB\n`;
    case 'device-removed':
    case 'device-added':
    case 'device-removal-failed':
      return `${head}: ${event.devAlias}\n`;
    case 'tunable':
      return `${head}:\n${paramLines(event.params)}`;
    case 'agent-lifecycle':
      return `${head}: state: '${word(AGENT_STATES, event.state, 'unsupported value')}' reason: '${word(AGENT_REASONS, event.reason, 'unsupported value')}'\n`;
    case 'migration-iteration':
      return `${head}: iteration: '${event.iteration}'\n`;
    case 'job-completed':
      return `${head}:\n${paramLines(event.stats)}`;
    case 'metadata-change':
      return `${head}: type ${word(METADATA_TYPES, event.type, 'unsupported value')}, uri ${event.nsuri ?? '(null)'}\n`;
    case 'block-threshold':
      return `${head}: dev: ${event.dev}(${event.path ?? '(null)'}) ${event.threshold} ${event.excess}\n`;
    case 'memory-failure':
      return (
        `${head}:\nrecipient: ${word(MEMORY_FAILURE_RECIPIENTS, event.recipient, 'unsupported value')}\n` +
        `action: ${word(MEMORY_FAILURE_ACTIONS, event.action, 'unsupported value')}\n` +
        `flags:\n\taction required: ${event.flags & 1 ? 1 : 0}\n\trecursive: ${event.flags & 2 ? 1 : 0}\n`
      );
    case 'memory-device-size-change':
      return `${head}:\nalias: ${event.alias}\nsize: ${event.sizeKiB}\n`;
  }
}

/** `--timestamp` prefix, virTimeStringNowRaw's format ("2024-05-01 12:00:00.123+0000"). */
export function eventTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2024-05-01T12:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}+0000`;
}
