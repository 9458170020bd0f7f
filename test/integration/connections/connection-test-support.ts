import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionPrompt, ConnectionState } from '../../../shared/contract/connections';
import type { EventEnvelope } from '../../../shared/contract/events';
import type { Result } from '../../../shared/contract/errors';
import type { ConnectionManagerOptions } from '../../../electron/connections/connection-manager';
import type { SecretCipher } from '../../../electron/connections/encrypted-secret-store';
import { createHandlerRegistry } from '../../../electron/handlers';
import type { HandlerRegistry } from '../../../electron/handlers/handler-registry';
import { createServices } from '../../../electron/services';
import type { Services } from '../../../electron/services';
import { waitFor } from '../../harness/wait-for';
import { createRecordingLogger } from '../../unit/electron/recording-logger';

export interface StateRecord {
  at: number;
  connectionId: string;
  state: ConnectionState;
}

/** The app's services and handler table on a private config folder, recording every event. */
export interface AppUnderTest {
  services: Services;
  registry: HandlerRegistry;
  configDir: string;
  home: string;
  events: EventEnvelope[];
  states: StateRecord[];
  prompts: ConnectionPrompt[];
  call(channel: string, input: unknown): Promise<Result<unknown>>;
  /** The value of a call that must succeed. */
  ok<T>(channel: string, input: unknown): Promise<T>;
  statesOf(connectionId: string): ConnectionState['status'][];
  /** The first record with this status, at or after `since` (performance.now() time). */
  waitForStatus(
    connectionId: string,
    status: ConnectionState['status'],
    timeoutMs?: number,
    since?: number,
  ): Promise<StateRecord>;
  /** Answers the next prompt of this connection, as the UI's modal would. */
  answerNextPrompt(
    connectionId: string,
    answer:
      | { action: 'answer'; answer: string; remember?: boolean }
      | { action: 'accept' }
      | { action: 'cancel' },
  ): Promise<ConnectionPrompt>;
  stop(): Promise<void>;
}

export async function startApp(
  options: {
    configDir?: string;
    home?: string;
    secretCipher?: SecretCipher;
    connections?: Omit<ConnectionManagerOptions, 'configDir' | 'events' | 'logger'>;
  } = {},
): Promise<AppUnderTest> {
  const configDir = options.configDir ?? (await mkdtemp(path.join(os.tmpdir(), 'vd-conn-cfg-')));
  const home = options.home ?? (await mkdtemp(path.join(os.tmpdir(), 'vd-conn-home-')));
  const services = await createServices({
    hostKind: 'web',
    configDir,
    logger: createRecordingLogger(),
    ...(options.secretCipher ? { secretCipher: options.secretCipher } : {}),
    connections: {
      firstLaunch: false,
      libvirtConfPath: path.join(home, 'no-libvirt.conf'),
      ...options.connections,
      local: { home, env: { PATH: process.env.PATH }, ...options.connections?.local },
    },
  });
  const registry = createHandlerRegistry(services);
  const events: EventEnvelope[] = [];
  const states: StateRecord[] = [];
  const prompts: ConnectionPrompt[] = [];
  const answered = new Set<string>();
  services.events.subscribe((event) => {
    events.push(event);
    if (event.name === 'connection:state') {
      const { connectionId, state } = event.payload as {
        connectionId: string;
        state: ConnectionState;
      };
      states.push({ at: performance.now(), connectionId, state });
    }
    if (event.name === 'connection:prompt') prompts.push(event.payload as ConnectionPrompt);
  });
  const call = (channel: string, input: unknown) =>
    registry.dispatch(channel, input, { caller: 'test' });
  const app: AppUnderTest = {
    services,
    registry,
    configDir,
    home,
    events,
    states,
    prompts,
    call,
    async ok<T>(channel: string, input: unknown): Promise<T> {
      const result = await call(channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
      return result.value as T;
    },
    statesOf: (id) => states.filter((s) => s.connectionId === id).map((s) => s.state.status),
    waitForStatus: (id, status, timeoutMs = 30_000, since = 0) =>
      waitFor(
        () =>
          states.find((s) => s.connectionId === id && s.state.status === status && s.at >= since),
        { what: `${id} to be ${status} (saw ${app.statesOf(id).join(' → ')})`, timeoutMs },
      ),
    async answerNextPrompt(id, answer) {
      const prompt = await waitFor(
        () => prompts.find((p) => p.connectionId === id && !answered.has(p.promptId)),
        { what: `a prompt for ${id}`, timeoutMs: 30_000 },
      );
      answered.add(prompt.promptId);
      await app.ok('connection:answerPrompt', { ...answer, promptId: prompt.promptId });
      return prompt;
    },
    async stop() {
      await services.dispose();
      if (!options.configDir) await rm(configDir, { recursive: true, force: true });
      if (!options.home) await rm(home, { recursive: true, force: true });
    },
  };
  return app;
}
