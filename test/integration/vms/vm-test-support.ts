import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { EventEnvelope, EventMap, EventName } from '../../../shared/contract/events';
import type { Result } from '../../../shared/contract/errors';
import type { VmSummary } from '../../../shared/contract/vms';
import { createHandlerRegistry } from '../../../electron/handlers';
import type { HandlerRegistry } from '../../../electron/handlers/handler-registry';
import { createServices, type Services } from '../../../electron/services';
import { runVirsh } from '../../harness/run-virsh';
import { waitFor } from '../../harness/wait-for';
import '../../harness/provided';
import { createRecordingLogger } from '../../unit/electron/recording-logger';

/** An event as the app pushed it, with when (performance.now()). */
export interface TimedEvent {
  at: number;
  event: EventEnvelope;
}

/**
 * The whole main process (services + handler table) on a private config folder, with one
 * saved connection to the harness daemon's QEMU driver, connected. Calls go through the
 * registry exactly as the renderer's do.
 */
export interface VmApp {
  services: Services;
  registry: HandlerRegistry;
  connectionId: string;
  alias: string;
  configDir: string;
  events: TimedEvent[];
  call(channel: string, input: unknown): Promise<Result<unknown>>;
  ok<T>(channel: string, input: unknown): Promise<T>;
  /** The error of a call that must fail. */
  fails(channel: string, input: unknown): Promise<Extract<Result<unknown>, { ok: false }>['error']>;
  /** The first event of this name matching `match`, pushed at or after `since`. */
  waitForEvent<E extends EventName>(
    name: E,
    match: (payload: EventMap[E]) => boolean,
    options?: { since?: number; timeoutMs?: number },
  ): Promise<{ at: number; payload: EventMap[E] }>;
  /** The VM as the service lists it now (undefined when not listed). */
  vm(uuid: string): VmSummary | undefined;
  stop(): Promise<void>;
}

export function harness(): { qemuUri: string; dir: string } {
  const { qemuUri, dir } = inject('libvirtd');
  return { qemuUri, dir };
}

export async function startVmApp(
  options: { configDir?: string; alias?: string; connectionId?: string } = {},
): Promise<VmApp> {
  const { qemuUri } = harness();
  const configDir = options.configDir ?? (await mkdtemp(path.join(os.tmpdir(), 'vd-vms-cfg-')));
  const services = await createServices({
    hostKind: 'web',
    configDir,
    logger: createRecordingLogger(),
    connections: {
      firstLaunch: false,
      libvirtConfPath: path.join(configDir, 'no-libvirt.conf'),
      local: { home: configDir, env: { PATH: process.env.PATH } },
    },
  });
  const registry = createHandlerRegistry(services);
  const events: TimedEvent[] = [];
  services.events.subscribe((event) => events.push({ at: performance.now(), event }));
  const call = (channel: string, input: unknown) =>
    registry.dispatch(channel, input, { caller: 'test' });
  const ok = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await call(channel, input);
    if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };
  let connectionId = options.connectionId;
  const alias = options.alias ?? 'host1';
  if (!connectionId) {
    const saved = await ok<SavedConnection>('connection:add', { alias, uri: qemuUri });
    connectionId = saved.id;
  }
  await ok('connection:connect', { id: connectionId });
  const id = connectionId;
  const app: VmApp = {
    services,
    registry,
    connectionId: id,
    alias,
    configDir,
    events,
    call,
    ok,
    async fails(channel, input) {
      const result = await call(channel, input);
      if (result.ok)
        throw new Error(`${channel} unexpectedly succeeded: ${JSON.stringify(result.value)}`);
      return result.error;
    },
    waitForEvent: (name, match, { since = 0, timeoutMs = 20_000 } = {}) =>
      waitFor(
        () => {
          const hit = events.find(
            (e) =>
              e.at >= since &&
              e.event.name === name &&
              match(e.event.payload as EventMap[typeof name]),
          );
          return hit
            ? { at: hit.at, payload: hit.event.payload as EventMap[typeof name] }
            : undefined;
        },
        { what: `a ${name} event`, timeoutMs, intervalMs: 5 },
      ),
    vm: (uuid) => services.vms.list(id).vms.find((v) => v.uuid === uuid),
    async stop() {
      await services.dispose();
      if (!options.configDir) await rm(configDir, { recursive: true, force: true });
    },
  };
  await waitFor(() => (services.vms.list(id).hosts[0]?.status === 'ready' ? true : undefined), {
    what: `${alias}'s VM list`,
    timeoutMs: 30_000,
  });
  return app;
}

/** `virsh -c <qemu uri> …` that must succeed; the reference and the "someone else" of tests. */
export async function virsh(args: readonly string[]): Promise<string> {
  const r = await runVirsh(harness().qemuUri, args);
  if (r.code !== 0)
    throw new Error(`virsh ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Defines a domain from XML through virsh (a file, as users do). */
export async function virshDefine(xml: string): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vd-vms-xml-'));
  try {
    const file = path.join(dir, 'domain.xml');
    await writeFile(file, xml);
    await virsh(['define', file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes a test domain whatever state it is in; a missing one is fine. */
export async function removeDomain(name: string): Promise<void> {
  await runVirsh(harness().qemuUri, ['destroy', name]);
  const r = await runVirsh(harness().qemuUri, [
    'undefine',
    name,
    '--managed-save',
    '--snapshots-metadata',
    '--nvram',
  ]);
  if (r.code !== 0 && !/failed to get domain|not found/i.test(r.stderr)) {
    throw new Error(`cleaning up ${name}: ${r.stderr.trim()}`);
  }
}

export function testName(prefix: string): { name: string; uuid: string } {
  const uuid = randomUUID();
  return { name: `${prefix}-${uuid.slice(0, 8)}`, uuid };
}

/** `key=value` lines of `virsh domstats` for one domain. */
export async function domstats(
  name: string,
  groups: readonly string[],
): Promise<Map<string, string>> {
  const out = await virsh(['domstats', ...groups, name]);
  const fields = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^\s+([^=]+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) fields.set(m[1], m[2]);
  }
  return fields;
}
