import type { ConsoleEndReason, ConsoleKind, ConsoleProblem } from '../../../../shared/contract';

/** Everything the console window can be stuck on, open-time problems and end reasons alike. */
export type ConsoleTrouble =
  ConsoleProblem | Exclude<ConsoleEndReason, 'closed'> | 'wrong-password' | 'error';

/** What the state panel offers for a trouble. */
export type ConsoleRemedy =
  | 'start'
  | 'reconnect'
  | 'take-over'
  | 'external-viewer'
  | 'replace-spice'
  | 'password'
  | 'add-display'
  | 'wait-for-host';

export interface ConsoleTroubleView {
  trouble: ConsoleTrouble;
  remedies: ConsoleRemedy[];
}

/** Our WebSocket close codes (console-bridge.ts CLOSE_CODES) back to a reason. */
const CLOSE_REASONS: Readonly<Record<number, ConsoleEndReason>> = {
  4000: 'vm-stopped',
  4001: 'host-disconnected',
  4002: 'taken-over',
  4003: 'upstream-closed',
  4004: 'upstream-failed',
  4005: 'expired',
};

export function endReasonOfClose(code: number): ConsoleEndReason | null {
  return CLOSE_REASONS[code] ?? null;
}

/** Which ways out the panel shows; the first is the main button. */
export function troubleView(trouble: ConsoleTrouble, kind: ConsoleKind | null): ConsoleTroubleView {
  const spice = kind === 'spice';
  switch (trouble) {
    case 'not-running':
    case 'vm-stopped':
      return { trouble, remedies: ['start'] };
    case 'host-disconnected':
      return { trouble, remedies: ['wait-for-host', 'reconnect'] };
    case 'serial-busy':
    case 'taken-over':
      return { trouble, remedies: ['take-over', 'reconnect'] };
    case 'wrong-password':
      return { trouble, remedies: ['password', 'reconnect'] };
    case 'tls-only':
      return { trouble, remedies: ['external-viewer', 'replace-spice'] };
    case 'listen-none':
    case 'unreachable':
    case 'forwarding-refused':
      return {
        trouble,
        remedies: spice ? ['reconnect', 'external-viewer', 'replace-spice'] : ['reconnect'],
      };
    case 'no-device':
      // A missing serial port is added in the hardware settings; a display is one click.
      return { trouble, remedies: kind === 'serial' ? [] : ['add-display'] };
    case 'unsupported-type':
    case 'serial-unsupported':
      return { trouble, remedies: [] };
    default:
      return { trouble, remedies: ['reconnect'] };
  }
}

/** `take-over` → `takeOver`: catalog keys are camelCase. */
export function camelKey(name: string): string {
  return name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}
