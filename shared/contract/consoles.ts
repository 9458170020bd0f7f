import { z } from 'zod';
import { channel } from './channel';
import { vmTargetSchema, type VmState } from './vms';

/**
 * Consoles: a VM's graphical display (VNC, SPICE) and its serial/text consoles. The main
 * process opens the byte pipe to the device (directly, or through the host's one SSH
 * session, or libvirt's console stream) and hands the renderer a short-lived ticket for a
 * WebSocket at `/ws/console/<token>` that carries those bytes unchanged.
 */

/** Where console WebSockets live; the token is the last path segment. */
export const CONSOLE_WS_PREFIX = '/ws/console/';
/** spice-html5 asks for it and Chromium fails the handshake unless the server echoes it. */
export const CONSOLE_WS_PROTOCOL = 'binary';
/** 32 random bytes in base64url. */
export const CONSOLE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type ConsoleKind = 'vnc' | 'spice' | 'serial';

/**
 * Why a console cannot be shown; each has its own state in the window, never a blank canvas.
 * - not-running: the VM is shut off (or paused-and-gone); offer Start.
 * - no-device: no graphics device / no serial console; offer to add one.
 * - unsupported-type: graphics VirtDeck cannot show (sdl, rdp, egl-headless, dbus…).
 * - listen-none: `listen type='none'`: only clients that get a file descriptor from libvirt.
 * - tls-only: SPICE with a TLS port only; spice-html5 speaks plain SPICE.
 * - unreachable: the listen address or socket cannot be reached from here; `message` says why.
 * - forwarding-refused: the SSH server refused port forwarding and the nc fallback failed.
 * - serial-busy: another client holds the serial console; "take over" forces it.
 * - serial-unsupported: a serial device libvirt cannot stream (only pty consoles can).
 * - host-disconnected: the host's connection is not up.
 */
export const consoleProblems = [
  'not-running',
  'no-device',
  'unsupported-type',
  'listen-none',
  'tls-only',
  'unreachable',
  'forwarding-refused',
  'serial-busy',
  'serial-unsupported',
  'host-disconnected',
] as const;
export type ConsoleProblem = (typeof consoleProblems)[number];

/** How the bytes reach the device. */
export type ConsoleRoute =
  /** net.connect from this machine (local host, or a remote listen address we can reach). */
  | 'direct'
  /** direct-tcpip channel on the host's SSH session. */
  | 'ssh-forward'
  /** direct-streamlocal channel (a unix socket on the host). */
  | 'ssh-streamlocal'
  /** `nc` run on the host, because the SSH server refused forwarding. */
  | 'ssh-nc'
  /** libvirt's console stream (serial consoles, any transport). */
  | 'libvirt-stream';

export interface ConsoleGraphicsDevice {
  /** Position among the domain's `<graphics>` elements. */
  index: number;
  /** vnc, spice, sdl, … */
  type: string;
  listenType: 'address' | 'socket' | 'network' | 'none';
  /** The listen address, or the socket path; null when libvirt has none. */
  listen: string | null;
  /** The port in use (running VM); null when not assigned. */
  port: number | null;
  tlsPort: number | null;
  /** A password is set (read with the secure flag) — the viewer answers it for you. */
  hasPassword: boolean;
  /** null when it can be shown; else why not. */
  problem: ConsoleProblem | null;
}

export interface ConsoleSerialDevice {
  /** The alias libvirt opens it by (`serial0`, `console0`); null while the VM is shut off. */
  alias: string | null;
  /** `serial` or `console` element. */
  element: 'serial' | 'console';
  /** Source type: pty, tcp, unix, file, … */
  type: string;
  /** Target type and port: `isa-serial` 0, `virtio` 0, … */
  targetType: string | null;
  targetPort: number | null;
  /** Only pty-backed devices can be streamed by libvirt. */
  streamable: boolean;
}

export interface ConsoleTargetInfo {
  connectionId: string;
  uuid: string;
  name: string;
  state: VmState;
  /** Running or paused: a display exists. */
  active: boolean;
  graphics: ConsoleGraphicsDevice[];
  serials: ConsoleSerialDevice[];
  /** How this host is reached: local socket, SSH, TCP or TLS. */
  hostTransport: 'local' | 'ssh' | 'tcp' | 'tls';
}

export const consoleDeviceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('graphics'), index: z.number().int().min(0).max(15) }).strict(),
  z
    .object({
      kind: z.literal('serial'),
      /** Alias of the device; absent: the first console. */
      alias: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'A console alias is letters, digits, . _ -')
        .optional(),
      /** Take the console from another client. Only on the user's explicit request. */
      force: z.boolean().optional(),
    })
    .strict(),
]);
export type ConsoleDeviceRequest = z.infer<typeof consoleDeviceSchema>;

export const consoleOpenSchema = vmTargetSchema.extend({ device: consoleDeviceSchema }).strict();

export interface ConsoleTicket {
  /** Public id of the console session (events name it; it grants nothing). */
  id: string;
  /** The secret: valid only for this console, for a short time. */
  token: string;
  /** `/ws/console/<token>` */
  path: string;
  /**
   * `ws://127.0.0.1:PORT` when the console endpoint is not the page's own origin (Electron);
   * null: the page's origin (web host).
   */
  wsOrigin: string | null;
  kind: ConsoleKind;
  /** New WebSockets are refused after this (epoch ms), unless one is still open. */
  expiresAt: number;
  /** How many WebSockets may use the token (SPICE opens one per channel). */
  maxConnections: number;
  route: ConsoleRoute;
  /** The display's password from the secure XML; null when none is set or it is hidden. */
  password: string | null;
  /** True when the XML could not be read in secure form: the viewer must ask the user. */
  passwordUnknown: boolean;
  /** e.g. "VNC 127.0.0.1:5900 via SSH", "serial0". */
  label: string;
}

export type ConsoleOpenResult =
  | { status: 'ready'; ticket: ConsoleTicket }
  | { status: 'unavailable'; problem: ConsoleProblem; message: string };

/** Keys `console:sendKeys` can press, as virt-manager's and Cockpit's menus offer them. */
export const consoleKeyCombos = [
  'ctrl-alt-del',
  'ctrl-alt-backspace',
  'ctrl-alt-f1',
  'ctrl-alt-f2',
  'ctrl-alt-f3',
  'ctrl-alt-f4',
  'ctrl-alt-f5',
  'ctrl-alt-f6',
  'ctrl-alt-f7',
  'ctrl-alt-f8',
  'ctrl-alt-f9',
  'ctrl-alt-f10',
  'ctrl-alt-f11',
  'ctrl-alt-f12',
  'print',
] as const;
export type ConsoleKeyCombo = (typeof consoleKeyCombos)[number];

export interface ConsoleScreenshot {
  /** Always image/png (other formats are converted). */
  mime: 'image/png';
  /** PNG bytes in base64. */
  dataBase64: string;
  /** e.g. `web01-2024-05-01T10-00-00.png` */
  fileName: string;
}

export interface ConsoleViewerFile {
  /** `<vm>.vv` */
  fileName: string;
  /** The virt-viewer connection file (contains the password when there is one). */
  content: string;
  /** Set when remote-viewer must use a local port we forward and hold open. */
  forwardedPort: number | null;
  /** The forward closes after this much idle time (epoch ms of the deadline), or null. */
  forwardUntil: number | null;
}

export interface ConsoleXmlChange {
  /** What changed, for the confirmation shown to the user. */
  description: string;
  before: string | null;
  after: string | null;
}

export interface ConsoleReplaceResult {
  changes: ConsoleXmlChange[];
  /** The VM is running: the change applies at its next boot. */
  appliesAtNextBoot: boolean;
}

export const consoleWindowSchema = vmTargetSchema;

export const consoleChannels = {
  /** A VM's graphics and serial devices and whether each can be shown. */
  'console:info': channel<ConsoleTargetInfo>()(vmTargetSchema),
  /**
   * Opens the byte pipe to a device and answers a ticket for its WebSocket, or why it cannot
   * be shown. The pipe is held until a WebSocket takes it or the ticket expires.
   */
  'console:open': channel<ConsoleOpenResult>()(consoleOpenSchema),
  /** Ends a console: its WebSockets close and its token stops working. */
  'console:close': channel<{ id: string }>()(
    z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict(),
  ),
  /** Presses a key combination in the guest through libvirt (works for any display). */
  'console:sendKeys': channel<{ combo: ConsoleKeyCombo }>()(
    vmTargetSchema.extend({ combo: z.enum(consoleKeyCombos) }).strict(),
  ),
  /** The display as a PNG, through libvirt's screenshot stream. */
  'console:screenshot': channel<ConsoleScreenshot>()(
    vmTargetSchema.extend({ screen: z.number().int().min(0).max(15).optional() }).strict(),
  ),
  /** A `.vv` file for remote-viewer; remote displays get a local forwarded port. */
  'console:viewerFile': channel<ConsoleViewerFile>()(
    vmTargetSchema.extend({ index: z.number().int().min(0).max(15) }).strict(),
  ),
  /** The changes `console:replaceSpiceWithVnc` would make, without making them. */
  'console:planSpiceToVnc': channel<ConsoleReplaceResult>()(vmTargetSchema),
  /** Replaces SPICE graphics (and SPICE-only devices) with VNC in the persistent definition. */
  'console:replaceSpiceWithVnc': channel<ConsoleReplaceResult>()(vmTargetSchema),
  /**
   * Opens the VM's console in its own window (Electron). `opened: false`: this host has no
   * windows of its own; the page opens `#/console/<connectionId>/<uuid>` itself.
   */
  'console:openWindow': channel<{ opened: boolean }>()(consoleWindowSchema),
};

/** Why a console session ended (payload of 'console:ended'). */
export const consoleEndReasons = [
  /** The VM stopped (shut down, crashed, destroyed). */
  'vm-stopped',
  /** The host's connection dropped; it reconnects on its own. */
  'host-disconnected',
  /** Another client took the serial console over. */
  'taken-over',
  /** The device closed the connection for another reason (message says what). */
  'upstream-closed',
  /** The upstream could not be opened for a new channel (message says why). */
  'upstream-failed',
  /** No WebSocket used the ticket in time. */
  'expired',
  /** `console:close`, or the window went away. */
  'closed',
] as const;
export type ConsoleEndReason = (typeof consoleEndReasons)[number];

export interface ConsoleEvents {
  'console:ended': { id: string; reason: ConsoleEndReason; message: string };
}

export const consoleEventNames = ['console:ended'] as const;
