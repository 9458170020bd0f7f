import { z } from 'zod';
import { channel } from './channel';
import type { ErrorKind } from './errors';

/** Like libvirt's uri_aliases names: letters, digits, '_' and '-', compared case-sensitively. */
export const CONNECTION_ALIAS_PATTERN = /^[A-Za-z0-9_-]+$/;
export const CONNECTION_ALIAS_MAX = 64;

export const connectionOrigins = ['user', 'libvirt-conf', 'ssh-config', 'first-launch'] as const;
export type ConnectionOrigin = (typeof connectionOrigins)[number];

const aliasSchema = z
  .string()
  .min(1, 'An alias is required')
  .max(CONNECTION_ALIAS_MAX, `An alias has at most ${CONNECTION_ALIAS_MAX} characters`)
  .regex(
    CONNECTION_ALIAS_PATTERN,
    "An alias may only contain letters, digits, '_' and '-' (as in libvirt's uri_aliases)",
  );

// Only the shape here; main parses the URI with libvirt's rules before saving anything.
const uriSchema = z
  .string()
  .min(1, 'A connection URI is required')
  .max(2048, 'A connection URI has at most 2048 characters');

const descriptionSchema = z.string().max(500, 'A description has at most 500 characters');
const colourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour is written #rrggbb');

/** How to reach an SSH host beyond what the URI says. The URI's user and port win. */
export const sshSettingsSchema = z
  .object({
    user: z.string().min(1).max(256).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    /** Private key file; default: ~/.ssh/config's IdentityFile, else ~/.ssh/id_*. */
    identityFile: z.string().min(1).max(4096).optional(),
    useAgent: z.boolean(),
    /** OpenSSH ProxyJump syntax: `[user@]host[:port]`, comma-separated, outermost first. */
    proxyJump: z.string().min(1).max(1024).optional(),
  })
  .strict();
export type SshSettings = z.infer<typeof sshSettingsSchema>;
export const defaultSshSettings: SshSettings = { useAgent: true };

/** One saved host. Never holds a password or passphrase: those live in the secret store. */
export const savedConnectionSchema = z
  .object({
    id: z.uuid(),
    alias: aliasSchema,
    uri: uriSchema,
    description: descriptionSchema.optional(),
    colour: colourSchema.optional(),
    autoconnect: z.boolean(),
    ssh: sshSettingsSchema,
    origin: z.enum(connectionOrigins),
  })
  .strict();
export type SavedConnection = z.infer<typeof savedConnectionSchema>;

/** What the Add Connection dialog sends. */
export const connectionDraftSchema = z
  .object({
    alias: aliasSchema,
    uri: uriSchema,
    description: descriptionSchema.optional(),
    colour: colourSchema.optional(),
    autoconnect: z.boolean().default(false),
    ssh: sshSettingsSchema.default(defaultSshSettings),
  })
  .strict();
export type ConnectionDraft = z.infer<typeof connectionDraftSchema>;

/** An edit: absent fields stay; `null` clears description or colour. */
export const connectionPatchSchema = z
  .object({
    alias: aliasSchema.optional(),
    uri: uriSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    colour: colourSchema.nullable().optional(),
    autoconnect: z.boolean().optional(),
    ssh: sshSettingsSchema.optional(),
  })
  .strict();
export type ConnectionPatch = z.infer<typeof connectionPatchSchema>;

export const importDraftSchema = connectionDraftSchema
  .extend({ origin: z.enum(['libvirt-conf', 'ssh-config']) })
  .strict();
export type ImportDraft = z.infer<typeof importDraftSchema>;

/** Why a connection failed, as libvirt or ssh said it. */
export interface ConnectionFailure {
  message: string;
  kind: ErrorKind;
  /** virErrorNumber and its name, when libvirt reported the failure. */
  code?: number;
  codeName?: string;
  /**
   * Finer cause for the UI: an SSH reason ('host-key-changed', 'auth-failed', …) or a link
   * reason ('connect', 'eof', 'keepalive', …).
   */
  reason?: string;
}

export type ConnectionState =
  | { status: 'disconnected' }
  /** `attempt` is set while reconnecting by itself after a drop. */
  | { status: 'connecting'; attempt?: number }
  /** Waiting for the user to answer a prompt (password, host key, …). */
  | { status: 'auth-needed'; promptId: string }
  /** `since`: epoch milliseconds. */
  | { status: 'connected'; since: number }
  | ({ status: 'failed' } & ConnectionFailure)
  /** The link dropped; the next try is at `retryAt` (epoch ms), `inSeconds` from now. */
  | {
      status: 'reconnecting';
      inSeconds: number;
      retryAt: number;
      attempt: number;
      lastError: ConnectionFailure;
    };
export type ConnectionStatus = ConnectionState['status'];

export const secretPromptKinds = ['password', 'passphrase', 'keyboard-interactive'] as const;
export type SecretPromptKind = (typeof secretPromptKinds)[number];

interface PromptBase {
  promptId: string;
  connectionId: string;
  alias: string;
  /** Epoch ms; afterwards the prompt counts as cancelled. */
  expiresAt: number;
}

/** A question for the user, tied to one connection (show it as a modal on that host). */
export type ConnectionPrompt =
  | (PromptBase & {
      kind: 'host-key';
      host: string;
      port: number;
      keyType: string;
      /** OpenSSH's `SHA256:…`. */
      fingerprint: string;
    })
  | (PromptBase & {
      kind: SecretPromptKind;
      prompt: string;
      /** Show the typed text (keyboard-interactive questions that are not secret). */
      echo: boolean;
      /** The answer may be kept encrypted for next time (password and passphrase only). */
      canRemember: boolean;
    });

const promptIdSchema = z.uuid();
export const promptAnswerSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('answer'),
      promptId: promptIdSchema,
      answer: z.string().max(8192),
      remember: z.boolean().default(false),
    })
    .strict(),
  /** Trust the host key shown (it is added to ~/.ssh/known_hosts). */
  z.object({ action: z.literal('accept'), promptId: promptIdSchema }).strict(),
  /** Refuse the host key, or cancel the password question. */
  z.object({ action: z.literal('cancel'), promptId: promptIdSchema }).strict(),
]);
export type PromptAnswer = z.infer<typeof promptAnswerSchema>;

export type PromptClosedReason = 'answered' | 'cancelled' | 'timeout';

export type ConnectionNoticeKind =
  /** connections.json was unreadable and moved aside (`file` → `movedTo`). */
  | 'store-moved-aside'
  /** connections.json is unreadable and could not be moved: saving is disabled. */
  | 'store-blocked'
  /** First launch found no libvirt on this machine. */
  | 'local-libvirt-missing'
  /** First launch: libvirt is installed but its system daemon is not running. */
  | 'local-daemon-not-running'
  /** First launch could not start the per-user daemon. */
  | 'local-daemon-start-failed'
  /** First launch added the local host (says which URI and why). */
  | 'local-host-added'
  /** First launch ignored LIBVIRT_DEFAULT_URI (says why). */
  | 'default-uri-ignored';

export interface ConnectionNotice {
  kind: ConnectionNoticeKind;
  message: string;
  /** What to do, e.g. the install command. */
  hint?: string;
  file?: string;
  movedTo?: string;
}

export interface ConnectionEntry {
  connection: SavedConnection;
  state: ConnectionState;
  /** A question waiting for an answer (also pushed as 'connection:prompt'). */
  prompt: ConnectionPrompt | null;
}

export interface ConnectionList {
  connections: ConnectionEntry[];
  notices: ConnectionNotice[];
  /** True when remembered passwords survive a restart (encrypted by the OS keyring). */
  secretsPersistent: boolean;
}

export interface ConnectionDetails {
  connectionId: string;
  alias: string;
  /** As saved. */
  uri: string;
  /** The name the daemon opened, e.g. 'qemu:///system'. */
  driverUri: string;
  hostname: string;
  /** e.g. 'QEMU'. */
  hypervisorType: string;
  /** '9.0.0'. */
  libvirtVersion: string;
  /** '7.2.0'; '' when the driver reports none. */
  hypervisorVersion: string;
  cpuModel: string;
  cpuCount: number;
  cpuMhz: number;
  numaNodes: number;
  cpuSockets: number;
  cpuCores: number;
  cpuThreads: number;
  /** Host memory in KiB, as a decimal string (64-bit). */
  memoryKiB: string;
  autoconnect: boolean;
  readOnly: boolean;
}

export interface ImportCandidate {
  source: 'libvirt-conf' | 'ssh-config';
  sourceFile: string;
  /** The alias in libvirt.conf, or the ssh config `Host` name. */
  sourceName: string;
  /** Send back in 'connection:import' (the alias may be edited first). */
  draft: ImportDraft;
  /** Set when a saved connection (or an earlier candidate) already has this alias or URI. */
  duplicate: { reason: 'alias' | 'uri'; existingAlias: string } | null;
}

export interface ImportCandidates {
  candidates: ImportCandidate[];
  /** Entries that could not be read, with why (malformed alias, bad URI, bad file). */
  problems: string[];
}

export interface ImportResult {
  added: SavedConnection[];
  skipped: Array<{ alias: string; reason: string }>;
}

export const uriHypervisors = ['qemu-system', 'qemu-session', 'lxc', 'test'] as const;
export const uriTransports = ['local', 'ssh', 'tls', 'tcp'] as const;

/** The Add Connection form's fields; empty strings count as absent. */
export const buildUriSchema = z
  .object({
    hypervisor: z.enum(uriHypervisors),
    transport: z.enum(uriTransports),
    user: z.string().max(256).optional(),
    host: z.string().max(255).optional(),
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict();
export type BuildUriInput = z.infer<typeof buildUriSchema>;

/** What changed in the saved list. */
export type ConnectionChange =
  | { change: 'added' | 'updated'; connection: SavedConnection }
  | { change: 'removed'; connectionId: string };

const byId = z.object({ id: z.uuid() }).strict();

export const connectionChannels = {
  'connection:list': channel<ConnectionList>()(z.object({}).strict()),
  'connection:add': channel<SavedConnection>()(connectionDraftSchema),
  'connection:update': channel<SavedConnection>()(
    z.object({ id: z.uuid(), patch: connectionPatchSchema }).strict(),
  ),
  'connection:delete': channel<{ id: string }>()(byId),
  /** Resolves once connected; a failure answers libvirt's or ssh's error. */
  'connection:connect': channel<ConnectionState>()(byId),
  'connection:disconnect': channel<ConnectionState>()(byId),
  'connection:answerPrompt': channel<{ promptId: string }>()(promptAnswerSchema),
  'connection:importCandidates': channel<ImportCandidates>()(z.object({}).strict()),
  'connection:import': channel<ImportResult>()(
    z.object({ connections: z.array(importDraftSchema).min(1).max(500) }).strict(),
  ),
  'connection:details': channel<ConnectionDetails>()(byId),
  'connection:buildUri': channel<{ uri: string }>()(buildUriSchema),
};

/** Payloads of the connection events (see events.ts). */
export interface ConnectionEvents {
  'connection:state': { connectionId: string; state: ConnectionState };
  'connection:prompt': ConnectionPrompt;
  'connection:promptClosed': {
    promptId: string;
    connectionId: string;
    reason: PromptClosedReason;
  };
  'connection:changed': ConnectionChange;
}
