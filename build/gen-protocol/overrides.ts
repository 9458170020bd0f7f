import type { StreamDirection } from '../../electron/libvirt/rpc/procedure';

/**
 * Facts the `.x` files do not carry. Every entry states why it exists; the generator fails
 * when an entry stops matching its input (so a fixed upstream file removes the need loudly
 * instead of leaving a silent, stale override).
 */

export interface ExternalConstant {
  name: string;
  value: number;
  reason: string;
}

/**
 * Constants the `.x` files use but take from C headers (rpcgen copies the names into C,
 * where the headers define them). Checked against libvirt-api.xml when it is available.
 */
export const externalConstants: readonly ExternalConstant[] = [
  {
    name: 'VIR_UUID_BUFLEN',
    value: 16,
    reason: 'raw UUID size, libvirt-host.h; used by remote_uuid / virNetMessageUUID',
  },
  {
    name: 'VIR_SECURITY_MODEL_BUFLEN',
    value: 257,
    reason: 'libvirt-host.h (256 + 1); REMOTE_SECURITY_MODEL_MAX is defined as this',
  },
  {
    name: 'VIR_SECURITY_DOI_BUFLEN',
    value: 257,
    reason: 'libvirt-host.h (256 + 1); REMOTE_SECURITY_DOI_MAX is defined as this',
  },
  {
    name: 'VIR_SECURITY_LABEL_BUFLEN',
    value: 4097,
    reason: 'libvirt-host.h (4096 + 1); REMOTE_SECURITY_LABEL_MAX is defined as this',
  },
  {
    name: 'VIR_TYPED_PARAM_INT',
    value: 1,
    reason: 'virTypedParameterType (libvirt-common.h): union case label',
  },
  {
    name: 'VIR_TYPED_PARAM_UINT',
    value: 2,
    reason: 'virTypedParameterType (libvirt-common.h): union case label',
  },
  {
    name: 'VIR_TYPED_PARAM_LLONG',
    value: 3,
    reason: 'virTypedParameterType (libvirt-common.h): union case label',
  },
  {
    name: 'VIR_TYPED_PARAM_ULLONG',
    value: 4,
    reason: 'virTypedParameterType (libvirt-common.h): union case label',
  },
  {
    name: 'VIR_TYPED_PARAM_DOUBLE',
    value: 5,
    reason: 'virTypedParameterType (libvirt-common.h): union case label',
  },
  {
    name: 'VIR_TYPED_PARAM_BOOLEAN',
    value: 6,
    reason: 'virTypedParameterType (libvirt-common.h): union case label',
  },
  {
    name: 'VIR_TYPED_PARAM_STRING',
    value: 7,
    reason: 'virTypedParameterType (libvirt-common.h): union case label',
  },
];

export interface StreamOverride {
  /** Module id from the generator's module list ('remote', 'qemu', …). */
  module: string;
  procedure: string;
  /** What the `.x` annotation says today; the override fails once this changes. */
  annotated: StreamDirection;
  direction: StreamDirection;
  reason: string;
}

export const streamOverrides: readonly StreamOverride[] = [
  {
    module: 'remote',
    procedure: 'REMOTE_PROC_DOMAIN_OPEN_CONSOLE',
    annotated: 'read',
    direction: 'both',
    reason:
      'a console is bidirectional (keystrokes go to the guest) though annotated @readstream; ' +
      'see libvirt-rpc.md 1.11 and digitalocean/go-libvirt#260',
  },
  {
    module: 'remote',
    procedure: 'REMOTE_PROC_DOMAIN_OPEN_CHANNEL',
    annotated: 'read',
    direction: 'both',
    reason:
      'a guest channel is bidirectional though annotated @readstream; see libvirt-rpc.md 1.11',
  },
];
