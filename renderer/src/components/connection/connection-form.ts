import {
  CONNECTION_ALIAS_MAX,
  CONNECTION_ALIAS_PATTERN,
  type BuildUriInput,
  type ConnectionDraft,
  type ConnectionPatch,
  type SavedConnection,
  type SshSettings,
} from '../../../../shared/contract';

export type UriHypervisor = BuildUriInput['hypervisor'];
export type UriTransport = BuildUriInput['transport'];

/** What the Add/Edit Connection dialog edits; text fields are kept as typed. */
export interface ConnectionForm {
  hypervisor: UriHypervisor;
  transport: UriTransport;
  user: string;
  host: string;
  port: string;
  uri: string;
  /** The user typed the URI: the fields above no longer generate it. */
  customUri: boolean;
  alias: string;
  description: string;
  colour: string | null;
  autoconnect: boolean;
  identityFile: string;
  useAgent: boolean;
  proxyJump: string;
}

/** Colours offered for a connection's dot: distinct on light and dark surfaces alike. */
export const connectionColours = [
  '#3B82F6',
  '#10B981',
  '#F59E0B',
  '#EF4444',
  '#8B5CF6',
  '#06B6D4',
  '#EC4899',
  '#78716C',
] as const;

export function emptyConnectionForm(): ConnectionForm {
  return {
    hypervisor: 'qemu-system',
    transport: 'local',
    user: '',
    host: '',
    port: '',
    uri: '',
    customUri: false,
    alias: '',
    description: '',
    colour: null,
    autoconnect: true,
    identityFile: '',
    useAgent: true,
    proxyJump: '',
  };
}

/** The form for a saved connection; its URI fields are only a guess until `uriFieldsMatch`. */
export function formFromConnection(connection: SavedConnection): ConnectionForm {
  const fields = uriFieldsFromUri(connection.uri);
  return {
    ...emptyConnectionForm(),
    ...(fields ?? {}),
    uri: connection.uri,
    customUri: fields === null,
    alias: connection.alias,
    description: connection.description ?? '',
    colour: connection.colour ?? null,
    autoconnect: connection.autoconnect,
    identityFile: connection.ssh.identityFile ?? '',
    useAgent: connection.ssh.useAgent,
    proxyJump: connection.ssh.proxyJump ?? '',
  };
}

export interface UriFields {
  hypervisor: UriHypervisor;
  transport: UriTransport;
  user: string;
  host: string;
  port: string;
}

const PATH_BY_DRIVER: Record<string, Array<[string, UriHypervisor]>> = {
  qemu: [
    ['/system', 'qemu-system'],
    ['/session', 'qemu-session'],
  ],
  lxc: [
    ['/', 'lxc'],
    ['', 'lxc'],
  ],
  test: [['/default', 'test']],
};

/**
 * Reads the dialog's fields back out of a URI the dialog could have generated, or null when
 * it could not (a query, another driver or path): then the URI stays as typed. The caller
 * still checks that `connection:buildUri` gives the same URI back before trusting it.
 */
export function uriFieldsFromUri(uri: string): UriFields | null {
  const match = /^([a-z]+)(?:\+([a-z]+))?:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(uri);
  if (!match) return null;
  const [, driver = '', transportPart, authority = '', path = ''] = match;
  const hypervisor = PATH_BY_DRIVER[driver]?.find(([p]) => p === path)?.[1];
  if (!hypervisor) return null;
  const transport: UriTransport | null =
    transportPart === undefined || transportPart === 'unix'
      ? authority === ''
        ? 'local'
        : null
      : transportPart === 'ssh' || transportPart === 'tls' || transportPart === 'tcp'
        ? transportPart
        : null;
  if (!transport) return null;
  const auth = /^(?:([^@]*)@)?(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(authority);
  if (!auth) return null;
  const [, user = '', host = '', port = ''] = auth;
  if (transport !== 'local' && host === '') return null;
  return {
    hypervisor,
    transport,
    user: safeDecode(user),
    host: host.replace(/^\[(.*)\]$/, '$1'),
    port,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The `connection:buildUri` input for the form, or null while a remote host is missing. */
export function buildUriInput(form: ConnectionForm): BuildUriInput | null {
  if (form.transport === 'local') return { hypervisor: form.hypervisor, transport: 'local' };
  const host = form.host.trim();
  if (host === '') return null;
  const input: BuildUriInput = { hypervisor: form.hypervisor, transport: form.transport, host };
  const user = form.user.trim();
  if (user !== '') input.user = user;
  const port = parsePort(form.port);
  if (port !== null) input.port = port;
  return input;
}

/** A port as typed: null when empty or not a whole number in 1…65535. */
export function parsePort(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port >= 1 && port <= 65535 ? port : null;
}

export type PortProblem = 'range' | null;

export function portProblem(text: string): PortProblem {
  return text.trim() === '' || parsePort(text) !== null ? null : 'range';
}

/** Whether the connection runs over SSH, so its SSH settings matter. */
export function formUsesSsh(form: ConnectionForm): boolean {
  if (!form.customUri) return form.transport === 'ssh';
  return /^[a-z]+\+(ssh|libssh2?):/i.test(form.uri.trim());
}

export type AliasProblem = 'required' | 'tooLong' | 'pattern' | 'duplicate' | null;

/** The contract's alias rules, checked as the user types; the host checks them again on save. */
export function aliasProblem(alias: string, takenAliases: readonly string[]): AliasProblem {
  if (alias === '') return 'required';
  if (alias.length > CONNECTION_ALIAS_MAX) return 'tooLong';
  if (!CONNECTION_ALIAS_PATTERN.test(alias)) return 'pattern';
  // libvirt compares aliases case-sensitively, and so does the host.
  if (takenAliases.includes(alias)) return 'duplicate';
  return null;
}

/** An alias suggested from a host name: what the alias rules allow, nothing else. */
export function suggestAlias(host: string): string {
  return host
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, CONNECTION_ALIAS_MAX);
}

function sshSettings(form: ConnectionForm, previous?: SshSettings): SshSettings {
  const ssh: SshSettings = { useAgent: form.useAgent };
  // User and port come from the URI; kept only as they were saved (e.g. by an import).
  if (previous?.user !== undefined) ssh.user = previous.user;
  if (previous?.port !== undefined) ssh.port = previous.port;
  const identityFile = form.identityFile.trim();
  if (identityFile !== '') ssh.identityFile = identityFile;
  const proxyJump = form.proxyJump.trim();
  if (proxyJump !== '') ssh.proxyJump = proxyJump;
  return ssh;
}

/** What `connection:add` gets. The alias is sent as typed: the host's checks decide. */
export function draftFromForm(form: ConnectionForm): ConnectionDraft {
  const draft: ConnectionDraft = {
    alias: form.alias,
    uri: form.uri.trim(),
    autoconnect: form.autoconnect,
    ssh: sshSettings(form),
  };
  const description = form.description.trim();
  if (description !== '') draft.description = description;
  if (form.colour) draft.colour = form.colour;
  return draft;
}

/** What `connection:update` gets: every field the dialog shows, cleared ones as null. */
export function patchFromForm(form: ConnectionForm, previous: SavedConnection): ConnectionPatch {
  const description = form.description.trim();
  return {
    alias: form.alias,
    uri: form.uri.trim(),
    description: description === '' ? null : description,
    colour: form.colour ?? null,
    autoconnect: form.autoconnect,
    ssh: sshSettings(form, previous.ssh),
  };
}
