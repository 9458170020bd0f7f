import {
  createElement,
  createText,
  serializeElement,
  type XmlElement,
} from '../../../../../shared/xml';

/**
 * Device types Add Hardware builds from a small form, as virt-manager offers them. Each
 * turns the form's values into one device element with our XML model (values are escaped
 * by the serializer, never pasted into markup), sent as `addDeviceXml`.
 */

export interface SimpleField {
  key: string;
  /** select: one of `options`; text: free text, checked by `required` only. */
  type: 'select' | 'text';
  options?: readonly string[];
  initial: string;
  required?: boolean;
  /** Shown only when this holds for the other values. */
  when?: (values: Readonly<Record<string, string>>) => boolean;
}

export interface SimpleDeviceKind {
  fields: readonly SimpleField[];
  build(values: Readonly<Record<string, string>>): XmlElement;
}

const el = createElement;
const v = (values: Readonly<Record<string, string>>, key: string): string => values[key] ?? '';

const CHANNEL_TARGETS: Readonly<Record<string, { type: string; name: string }>> = {
  'qemu-guest-agent': { type: 'unix', name: 'org.qemu.guest_agent.0' },
  'spice-vdagent': { type: 'spicevmc', name: 'com.redhat.spice.0' },
};

export const simpleDeviceKinds = {
  controller: {
    fields: [
      {
        key: 'type',
        type: 'select',
        options: ['usb', 'scsi', 'virtio-serial', 'sata'],
        initial: 'usb',
      },
      {
        key: 'model',
        type: 'select',
        options: ['qemu-xhci', 'ich9-ehci1', 'piix3-uhci', 'none'],
        initial: 'qemu-xhci',
        when: (x) => x['type'] === 'usb',
      },
      {
        key: 'scsiModel',
        type: 'select',
        options: ['virtio-scsi', 'lsilogic'],
        initial: 'virtio-scsi',
        when: (x) => x['type'] === 'scsi',
      },
    ],
    build: (x) => {
      const type = v(x, 'type');
      const model = type === 'usb' ? v(x, 'model') : type === 'scsi' ? v(x, 'scsiModel') : '';
      return el('controller', model ? { type, model } : { type });
    },
  },
  input: {
    fields: [
      { key: 'type', type: 'select', options: ['tablet', 'mouse', 'keyboard'], initial: 'tablet' },
      { key: 'bus', type: 'select', options: ['usb', 'virtio', 'ps2'], initial: 'usb' },
    ],
    build: (x) => el('input', { type: v(x, 'type'), bus: v(x, 'bus') }),
  },
  sound: {
    fields: [
      {
        key: 'model',
        type: 'select',
        options: ['ich9', 'ich6', 'ac97', 'es1370', 'usb'],
        initial: 'ich9',
      },
    ],
    build: (x) => el('sound', { model: v(x, 'model') }),
  },
  serial: {
    fields: [
      {
        key: 'device',
        type: 'select',
        options: ['serial', 'parallel', 'console', 'channel'],
        initial: 'serial',
      },
      {
        key: 'channel',
        type: 'select',
        options: ['qemu-guest-agent', 'spice-vdagent'],
        initial: 'qemu-guest-agent',
        when: (x) => x['device'] === 'channel',
      },
    ],
    build: (x) => {
      const device = v(x, 'device');
      if (device === 'channel') {
        const target = CHANNEL_TARGETS[v(x, 'channel')] ?? CHANNEL_TARGETS['qemu-guest-agent']!;
        return el('channel', { type: target.type }, [
          el('target', { type: 'virtio', name: target.name }),
        ]);
      }
      if (device === 'console')
        return el('console', { type: 'pty' }, [el('target', { type: 'virtio' })]);
      return el(device === 'parallel' ? 'parallel' : 'serial', { type: 'pty' });
    },
  },
  video: {
    fields: [
      {
        key: 'model',
        type: 'select',
        options: ['virtio', 'qxl', 'vga', 'bochs', 'ramfb', 'cirrus', 'none'],
        initial: 'virtio',
      },
    ],
    build: (x) => el('video', {}, [el('model', { type: v(x, 'model') })]),
  },
  watchdog: {
    fields: [
      { key: 'model', type: 'select', options: ['i6300esb', 'ib700', 'itco'], initial: 'i6300esb' },
      {
        key: 'action',
        type: 'select',
        options: ['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'],
        initial: 'reset',
      },
    ],
    build: (x) => el('watchdog', { model: v(x, 'model'), action: v(x, 'action') }),
  },
  filesystem: {
    fields: [
      { key: 'driver', type: 'select', options: ['virtiofs', 'path'], initial: 'virtiofs' },
      { key: 'source', type: 'text', initial: '', required: true },
      { key: 'target', type: 'text', initial: '', required: true },
    ],
    build: (x) =>
      el('filesystem', { type: 'mount', accessmode: 'passthrough' }, [
        el('driver', { type: v(x, 'driver') }),
        el('source', { dir: v(x, 'source').trim() }),
        el('target', { dir: v(x, 'target').trim() }),
      ]),
  },
  smartcard: {
    fields: [
      { key: 'mode', type: 'select', options: ['passthrough', 'host'], initial: 'passthrough' },
    ],
    build: (x) =>
      v(x, 'mode') === 'host'
        ? el('smartcard', { mode: 'host' })
        : el('smartcard', { mode: 'passthrough', type: 'spicevmc' }),
  },
  redirdev: {
    fields: [{ key: 'type', type: 'select', options: ['spicevmc'], initial: 'spicevmc' }],
    build: (x) => el('redirdev', { bus: 'usb', type: v(x, 'type') }),
  },
  tpm: {
    fields: [
      { key: 'model', type: 'select', options: ['tpm-crb', 'tpm-tis'], initial: 'tpm-crb' },
      { key: 'backend', type: 'select', options: ['emulator', 'passthrough'], initial: 'emulator' },
      {
        key: 'path',
        type: 'text',
        initial: '/dev/tpm0',
        required: true,
        when: (x) => x['backend'] === 'passthrough',
      },
    ],
    build: (x) =>
      el('tpm', { model: v(x, 'model') }, [
        v(x, 'backend') === 'passthrough'
          ? el('backend', { type: 'passthrough' }, [el('device', { path: v(x, 'path').trim() })])
          : el('backend', { type: 'emulator', version: '2.0' }),
      ]),
  },
  rng: {
    fields: [
      {
        key: 'source',
        type: 'select',
        options: ['/dev/urandom', '/dev/random', '/dev/hwrng'],
        initial: '/dev/urandom',
      },
    ],
    build: (x) =>
      el('rng', { model: 'virtio' }, [
        el('backend', { model: 'random' }, [createText(v(x, 'source'))]),
      ]),
  },
  panic: {
    fields: [
      { key: 'model', type: 'select', options: ['isa', 'pvpanic', 'hyperv'], initial: 'isa' },
    ],
    build: (x) => el('panic', { model: v(x, 'model') }),
  },
  vsock: {
    fields: [{ key: 'cid', type: 'text', initial: '' }],
    build: (x) => {
      const cid = v(x, 'cid').trim();
      return el('vsock', { model: 'virtio' }, [
        el('cid', cid ? { auto: 'no', address: cid } : { auto: 'yes' }),
      ]);
    },
  },
} satisfies Record<string, SimpleDeviceKind>;

export type SimpleDeviceKindName = keyof typeof simpleDeviceKinds;

export function initialValues(kind: SimpleDeviceKind): Record<string, string> {
  return Object.fromEntries(kind.fields.map((f) => [f.key, f.initial]));
}

export function visibleFields(
  kind: SimpleDeviceKind,
  values: Readonly<Record<string, string>>,
): SimpleField[] {
  return kind.fields.filter((f) => !f.when || f.when(values));
}

/** The device XML, or null while a shown required field is empty or a CID is no number. */
export function simpleDeviceXml(
  name: SimpleDeviceKindName,
  values: Readonly<Record<string, string>>,
): string | null {
  const kind: SimpleDeviceKind = simpleDeviceKinds[name];
  const missing = visibleFields(kind, values).some((f) => f.required && !v(values, f.key).trim());
  if (missing) return null;
  if (name === 'vsock' && v(values, 'cid').trim() && !/^\d+$/.test(v(values, 'cid').trim()))
    return null;
  return serializeElement(kind.build(values)).trimEnd();
}
