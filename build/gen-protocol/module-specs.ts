/**
 * The generator's module list: which libvirt `.x` file becomes which `*.gen.ts`, which other
 * modules it may reference, and how its procedures and tables are named.
 */

/** Which `.x` file becomes which generated module, and how its procedures are named. */
export interface ModuleSpec {
  id: string;
  input: string;
  output: string;
  /** Modules whose definitions this one may reference (qemu/lxc use remote's types). */
  deps: readonly string[];
  program: ProgramSpec | null;
}

export interface ProgramSpec {
  programConst: string;
  versionConst: string;
  procedureEnum: string;
  /** Enum member prefix stripped for table keys, e.g. 'REMOTE_PROC_'. */
  procPrefix: string;
  /** Prefix of payload structs, e.g. 'remote_' for remote_<proc>_args. */
  structPrefix: string;
  /** Table names: `${tablePrefix}Procedures`, `${tablePrefix}Events`. */
  tablePrefix: string;
  /** Typed client class, or null when the program has no calls (keepalive). */
  clientClass: string | null;
}

export const MODULES: readonly ModuleSpec[] = [
  { id: 'virnet', input: 'virnetprotocol.x', output: 'virnet.gen.ts', deps: [], program: null },
  {
    id: 'keepalive',
    input: 'virkeepaliveprotocol.x',
    output: 'keepalive.gen.ts',
    deps: [],
    program: {
      programConst: 'KEEPALIVE_PROGRAM',
      versionConst: 'KEEPALIVE_PROTOCOL_VERSION',
      procedureEnum: 'keepalive_procedure',
      procPrefix: 'KEEPALIVE_PROC_',
      structPrefix: 'keepalive_',
      tablePrefix: 'keepalive',
      clientClass: null,
    },
  },
  {
    id: 'remote',
    input: 'remote_protocol.x',
    output: 'remote.gen.ts',
    deps: [],
    program: {
      programConst: 'REMOTE_PROGRAM',
      versionConst: 'REMOTE_PROTOCOL_VERSION',
      procedureEnum: 'remote_procedure',
      procPrefix: 'REMOTE_PROC_',
      structPrefix: 'remote_',
      tablePrefix: 'remote',
      clientClass: 'RemoteClient',
    },
  },
  {
    id: 'qemu',
    input: 'qemu_protocol.x',
    output: 'qemu.gen.ts',
    deps: ['remote'],
    program: {
      programConst: 'QEMU_PROGRAM',
      versionConst: 'QEMU_PROTOCOL_VERSION',
      procedureEnum: 'qemu_procedure',
      procPrefix: 'QEMU_PROC_',
      structPrefix: 'qemu_',
      tablePrefix: 'qemu',
      clientClass: 'QemuClient',
    },
  },
  {
    id: 'lxc',
    input: 'lxc_protocol.x',
    output: 'lxc.gen.ts',
    deps: ['remote'],
    program: {
      programConst: 'LXC_PROGRAM',
      versionConst: 'LXC_PROTOCOL_VERSION',
      procedureEnum: 'lxc_procedure',
      procPrefix: 'LXC_PROC_',
      structPrefix: 'lxc_',
      tablePrefix: 'lxc',
      clientClass: 'LxcClient',
    },
  },
];
