import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { expect } from 'vitest';
import { sshSessionOptions } from '../../../../electron/libvirt/transport/ssh-session-options';
import type {
  SshPrompter,
  SshTransportOptions,
} from '../../../../electron/libvirt/transport/transport-types';
import { SshError } from '../../../../electron/ssh/ssh-error';
import { SshSession } from '../../../../electron/ssh/ssh-session';
import { findExecutable } from '../../../harness/find-executable';
import type { LoopbackSshd } from '../../../harness/loopback-sshd';
import { runCommand } from '../../../harness/run-command';
import { remoteProcedures } from '../../../../electron/libvirt/protocol/remote.gen';
import {
  VirNetMessageStatus,
  VirNetMessageType,
  virNetMessageHeaderCodec,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import type { VirNetMessageHeader } from '../../../../electron/libvirt/protocol/virnet.gen';
import { XdrReader, XdrWriter } from '../../../../electron/libvirt/xdr';

/** One AUTH_LIST call packet (length word + header, no payload), from the generated codecs. */
export function authListCall(serial: number): Buffer {
  const proc = remoteProcedures.AUTH_LIST;
  const w = new XdrWriter();
  w.uint(0); // length, patched below
  virNetMessageHeaderCodec.encode(w, {
    prog: proc.program,
    vers: proc.version,
    proc: proc.proc,
    type: VirNetMessageType.VIR_NET_CALL,
    serial,
    status: VirNetMessageStatus.VIR_NET_OK,
  });
  const bytes = Buffer.from(w.bytes());
  bytes.writeUInt32BE(bytes.length, 0);
  return bytes;
}

export interface AuthListReply {
  header: VirNetMessageHeader;
  types: number[];
}

/** Reads exactly one framed packet from `stream` and decodes it as the AUTH_LIST reply. */
export function readAuthListReply(stream: Duplex, timeoutMs = 30_000): Promise<AuthListReply> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('error', onError);
      stream.off('end', onEnd);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error('stream ended before a reply'));
    };
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4) return;
      const len = buffered.readUInt32BE(0);
      if (buffered.length < len) return;
      cleanup();
      if (buffered.length > len) stream.unshift(buffered.subarray(len));
      const r = new XdrReader(buffered.subarray(0, len), 4);
      const header = virNetMessageHeaderCodec.decode(r);
      const ret = remoteProcedures.AUTH_LIST.ret;
      if (!ret) throw new Error('AUTH_LIST has a return codec');
      resolve({ header, types: ret.decode(r).types });
    };
    stream.on('data', onData);
    stream.on('error', onError);
    stream.on('end', onEnd);
  });
}

/** Sends AUTH_LIST and waits for its reply; returns the reply and the round trip in ms. */
export async function authListRoundTrip(
  stream: Duplex,
  serial: number,
): Promise<{ reply: AuthListReply; ms: number }> {
  const started = performance.now();
  const pending = readAuthListReply(stream);
  stream.write(authListCall(serial));
  const reply = await pending;
  return { reply, ms: performance.now() - started };
}

export interface PromptLog {
  hostKeys: Array<Parameters<SshPrompter['confirmHostKey']>[0]>;
  secrets: Array<Parameters<SshPrompter['askSecret']>[0]>;
}

/** A prompter that answers from scripts and records every question it was asked. */
export function scriptedPrompter(script: {
  acceptHostKey?: boolean;
  secrets?: Array<string | null>;
}): { prompter: SshPrompter; log: PromptLog } {
  const log: PromptLog = { hostKeys: [], secrets: [] };
  const secrets = [...(script.secrets ?? [])];
  return {
    log,
    prompter: {
      confirmHostKey: async (info) => {
        log.hostKeys.push(info);
        return script.acceptHostKey ?? false;
      },
      askSecret: async (info) => {
        log.secrets.push(info);
        return secrets.length ? (secrets.shift() as string | null) : null;
      },
    },
  };
}

/**
 * Established TCP connections from this machine to 127.0.0.1:`port`, read from
 * /proc/net/tcp (the kernel's own table), counted once per connection.
 */
export async function establishedConnectionsTo(port: number): Promise<number> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter(([, , remote, state]) => remote === `0100007F:${portHex}` && state === '01').length;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Transport options for key login to a harness sshd that trusts its own host key. */
export function sshOptionsFor(
  server: LoopbackSshd,
  overrides: Partial<SshTransportOptions> = {},
): SshTransportOptions {
  return {
    host: server.host,
    port: server.port,
    username: server.user,
    identityFiles: [server.clientKeyPath],
    agent: null,
    knownHostsFile: server.knownHostsFile,
    readyTimeoutMs: 20_000,
    remote: { driverUri: 'test:///default' },
    ...overrides,
  };
}

/** Opens a session the way the transport does and runs `command` on it (its stdout). */
export async function runOnSession(options: SshTransportOptions, command: string): Promise<string> {
  const session = await SshSession.open(await sshSessionOptions(options));
  try {
    const channel = await session.exec(command);
    return await new Promise<string>((resolve) => {
      let out = '';
      channel.on('data', (d: Buffer) => (out += d.toString()));
      channel.stderr.resume();
      channel.on('close', () => resolve(out.trim()));
    });
  } finally {
    session.shutdown();
  }
}

/** The SshError `promise` rejects with (fails the test if it resolves or throws another). */
export async function failureOf(promise: Promise<unknown>): Promise<SshError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SshError);
  return error as SshError;
}

/** A fresh ed25519 key pair from ssh-keygen; `pub` is "ssh-ed25519 AAAA… comment". */
export async function generateKey(
  dir: string,
  name: string,
  passphrase = '',
): Promise<{ path: string; pub: string; publicKey: string }> {
  const path = join(dir, name);
  const keygen = findExecutable('ssh-keygen', 'install openssh-client');
  const made = await runCommand(keygen, [
    '-q',
    '-t',
    'ed25519',
    '-N',
    passphrase,
    '-C',
    name,
    '-f',
    path,
  ]);
  expect(made.code, made.stderr).toBe(0);
  const pub = (await readFile(`${path}.pub`, 'utf8')).trim();
  return { path, pub, publicKey: pub.split(' ').slice(0, 2).join(' ') };
}
