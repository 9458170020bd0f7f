import type { ConsoleSerialDevice } from '../../shared/contract/consoles';
import {
  childElement,
  getAttribute,
  listDevices,
  parseInteger,
  parseXml,
  readGraphics,
  type XmlDocument,
} from '../../shared/xml';

/** One `<graphics>` as the console code needs it, from the live (secure) XML. */
export interface GraphicsFacts {
  index: number;
  type: string;
  listenType: 'address' | 'socket' | 'network' | 'none';
  /** Address (resolved for network listens in the live XML) or socket path. */
  address: string | null;
  socket: string | null;
  /** null when absent or -1 (not assigned: the VM is not running). */
  port: number | null;
  tlsPort: number | null;
  password: string | null;
}

export function parseDomainXml(xml: string): XmlDocument {
  return parseXml(xml);
}

export function readGraphicsFacts(doc: XmlDocument): GraphicsFacts[] {
  return listDevices(doc)
    .filter((d) => d.kind === 'graphics')
    .map((d, index) => {
      const view = readGraphics(d.element);
      const listen = view.listens[0];
      const socket = listen?.socket ?? null;
      // Without any <listen>, QEMU listens on vnc_listen from qemu.conf (127.0.0.1 by default).
      const listenType = normaliseListenType(listen?.type, socket);
      return {
        index,
        type: view.type ?? 'unknown',
        listenType,
        address: listenType === 'socket' ? null : (listen?.address ?? null),
        socket,
        port: usablePort(view.port),
        tlsPort: usablePort(view.tlsPort),
        password: view.passwd ?? null,
      };
    });
}

function normaliseListenType(
  type: string | undefined,
  socket: string | null,
): GraphicsFacts['listenType'] {
  if (type === 'socket' || (type === undefined && socket !== null)) return 'socket';
  if (type === 'none') return 'none';
  if (type === 'network') return 'network';
  return 'address';
}

function usablePort(port: number | undefined): number | null {
  return port !== undefined && port > 0 && port <= 65535 ? port : null;
}

/**
 * Serial and console devices, one entry per alias. The live XML names a `<console>` that
 * mirrors `<serial>` port 0 with the same alias (`serial0`); that one is listed once.
 */
export function readSerialDevices(doc: XmlDocument): ConsoleSerialDevice[] {
  const out: ConsoleSerialDevice[] = [];
  const seenAliases = new Set<string>();
  for (const device of listDevices(doc)) {
    if (device.kind !== 'serial' && device.kind !== 'console') continue;
    const alias = device.alias ?? null;
    if (alias !== null) {
      if (seenAliases.has(alias)) continue;
      seenAliases.add(alias);
    }
    const target = childElement(device.element, 'target');
    const type = getAttribute(device.element, 'type') ?? 'pty';
    const entry: ConsoleSerialDevice = {
      alias,
      element: device.kind,
      type,
      targetType: (target && getAttribute(target, 'type')) ?? null,
      targetPort: (target && parseInteger(getAttribute(target, 'port'))) ?? null,
      streamable: type === 'pty',
    };
    // Shut off, a <console> mirroring serial port 0 carries no alias: skip the duplicate.
    if (
      alias === null &&
      device.kind === 'console' &&
      entry.targetType === 'serial' &&
      out.some((s) => s.element === 'serial' && s.targetPort === (entry.targetPort ?? 0))
    ) {
      continue;
    }
    out.push(entry);
  }
  return out;
}
