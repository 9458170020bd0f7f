/**
 * Domain XML for real guests the tests can boot without internet (see
 * shared/reference/test-guests.md): all plain QEMU under TCG (no /dev/kvm on CI), no disks,
 * graphics on loopback only, and always a `<uuid>` so a guest can be re-defined from its
 * own XML.
 */
export {
  ensureTinyLinux,
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  type TinyLinuxAssets,
} from './tiny-linux-assets';

export interface FirmwareVncGuestOptions {
  name: string;
  uuid: string;
  memoryMiB?: number;
  /** File virtlogd copies the serial output to (must be writable by the daemon user). */
  serialLogFile?: string;
}

export interface TinyLinuxGuestOptions {
  name: string;
  uuid: string;
  kernel: string;
  initrd: string;
  /** Adds VGA + a VNC server on 127.0.0.1 (and the kernel console on tty0 too). */
  withVnc?: boolean;
  memoryMiB?: number;
  serialLogFile?: string;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&apos;')
    .replaceAll('"', '&quot;');
}

function checkIdentity(name: string, uuid: string): void {
  if (!NAME_PATTERN.test(name))
    throw new Error(`test guest name not allowed: ${JSON.stringify(name)}`);
  if (!UUID_PATTERN.test(uuid))
    throw new Error(`test guest uuid is not a UUID: ${JSON.stringify(uuid)}`);
}

function checkMemory(memoryMiB: number): number {
  if (!Number.isInteger(memoryMiB) || memoryMiB < 16 || memoryMiB > 2048) {
    throw new Error(`test guest memory must be 16–2048 MiB, got ${memoryMiB}`);
  }
  return memoryMiB;
}

function checkPath(what: string, path: string): string {
  if (!path.startsWith('/')) throw new Error(`${what} must be an absolute path, got ${path}`);
  return escapeXml(path);
}

function serialDevices(serialLogFile: string | undefined): string {
  const log = serialLogFile
    ? `\n      <log file='${checkPath('serialLogFile', serialLogFile)}' append='off'/>`
    : '';
  return `    <serial type='pty'>
      <target port='0'/>${log}
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>`;
}

const VNC_DEVICES = `    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video>
      <model type='vga'/>
    </video>`;

/**
 * No disk: SeaBIOS starts in ~1 s, draws "No bootable device" on the VGA console (a
 * non-blank VNC framebuffer) and, with `useserial`, prints on the serial port too,
 * retrying every 3 s.
 */
export function firmwareVncGuestXml(options: FirmwareVncGuestOptions): string {
  checkIdentity(options.name, options.uuid);
  const memory = checkMemory(options.memoryMiB ?? 64);
  return `<domain type='qemu'>
  <name>${escapeXml(options.name)}</name>
  <uuid>${options.uuid.toLowerCase()}</uuid>
  <memory unit='MiB'>${memory}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <bios useserial='yes' rebootTimeout='3000'/>
  </os>
  <devices>
${serialDevices(options.serialLogFile)}
${VNC_DEVICES}
  </devices>
</domain>
`;
}

/** Direct kernel boot of the tiny BusyBox Linux; a shell on the serial console in ~3 s. */
export function tinyLinuxGuestXml(options: TinyLinuxGuestOptions): string {
  checkIdentity(options.name, options.uuid);
  const memory = checkMemory(options.memoryMiB ?? 128);
  // The last console= is /dev/console: keep ttyS0 last so the init's shell owns it.
  const cmdline = options.withVnc ? 'console=tty0 console=ttyS0' : 'console=ttyS0';
  return `<domain type='qemu'>
  <name>${escapeXml(options.name)}</name>
  <uuid>${options.uuid.toLowerCase()}</uuid>
  <memory unit='MiB'>${memory}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${checkPath('kernel', options.kernel)}</kernel>
    <initrd>${checkPath('initrd', options.initrd)}</initrd>
    <cmdline>${cmdline}</cmdline>
  </os>
  <devices>
${serialDevices(options.serialLogFile)}${options.withVnc ? `\n${VNC_DEVICES}` : ''}
  </devices>
</domain>
`;
}
