import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { DomainEvent } from '../../../electron/libvirt/facade/events';
import {
  domainList,
  domainLookup,
  domainResume,
  domainSuspend,
} from '../../../electron/libvirt/facade/domain';
import { startLoopbackSshd, type LoopbackSshd } from '../../harness/loopback-sshd';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../harness/private-libvirtd';
import { waitFor } from '../../harness/wait-for';
import { startApp, type AppUnderTest } from './connection-test-support';
import { socketQuery, startUnixRelay } from './unix-relay';

/**
 * Drops the user did not ask for: a daemon killed and started again on the same socket, a
 * frozen daemon only keepalive can notice, and the same over SSH with a password. The
 * manager must come back by itself, with events registered again, asking nobody.
 */
let daemon: PrivateLibvirtd;
let sshd: LoopbackSshd;
let relay: Awaited<ReturnType<typeof startUnixRelay>>;
const apps: AppUnderTest[] = [];
const measured: string[] = [];

beforeAll(async () => {
  [daemon, sshd] = await Promise.all([
    startPrivateLibvirtd({ idleTimeoutSec: 900 }),
    startLoopbackSshd({ passwordUser: true }),
  ]);
  relay = await startUnixRelay(daemon.socketPath);
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
});

afterAll(async () => {
  // Whatever a failed test left frozen must run again to stop.
  if (daemon) process.kill(daemon.pid, 'SIGCONT');
  await relay?.stop();
  await Promise.all([daemon?.stop(), sshd?.stop()]);
  if (measured.length) process.stdout.write(`${measured.join('\n')}\n`);
});

async function app(): Promise<AppUnderTest> {
  const started = await startApp();
  apps.push(started);
  return started;
}

/** Kills libvirtd, checks the manager notices and comes back once it is started again. */
async function killAndRestart(a: AppUnderTest, id: string, label: string): Promise<void> {
  const killedAt = performance.now();
  await daemon.killLibvirtd('SIGKILL');
  const noticed = await a.waitForStatus(id, 'reconnecting', 10_000, killedAt);
  await daemon.startLibvirtd();
  const restartedAt = performance.now();
  const back = await a.waitForStatus(id, 'connected', 60_000, killedAt);
  measured.push(
    `${label}: drop noticed ${Math.round(noticed.at - killedAt)} ms after SIGKILL; connected again ` +
      `${Math.round(back.at - restartedAt)} ms after the daemon answered again`,
  );
  expect(noticed.at - killedAt).toBeLessThan(2_000);
  expect(noticed.state).toMatchObject({
    status: 'reconnecting',
    attempt: 1,
    // 1 s ± 20 % jitter, shown rounded up.
    inSeconds: expect.toSatisfy((n: number) => n === 1 || n === 2),
    lastError: { kind: 'transport', reason: 'eof' },
  });
  const after = a.states
    .filter((s) => s.connectionId === id && s.at >= killedAt)
    .map((s) => s.state);
  expect(after.at(-1)?.status).toBe('connected');
  expect(after.some((s) => s.status === 'connecting' && s.attempt !== undefined)).toBe(true);
  expect(after.some((s) => s.status === 'failed' || s.status === 'disconnected')).toBe(false);
}

describe('reconnect after a drop', () => {
  it('a killed and restarted daemon: back by itself, same client, events registered again', async () => {
    const a = await app();
    const saved = await a.ok<SavedConnection>('connection:add', {
      alias: 'own',
      uri: daemon.uri('test'),
    });
    await a.ok('connection:connect', { id: saved.id });
    const client = a.services.connections.client(saved.id);
    if (!client) throw new Error('not connected');
    const events: DomainEvent[] = [];
    const subscription = client.events.onDomainEvent((e) => events.push(e), {
      kinds: ['lifecycle'],
    });
    await subscription.ready;

    await killAndRestart(a, saved.id, 'unix socket');

    expect(a.services.connections.client(saved.id)).toBe(client);
    expect((await domainList(client)).map((d) => d.name)).toContain('test');
    const test = await domainLookup(client, 'test');
    await domainSuspend(client, test);
    await domainResume(client, test);
    await waitFor(() => (events.length >= 2 ? true : undefined), {
      what: 'lifecycle events after the reconnect',
      timeoutMs: 10_000,
    });
    expect(events.map((e) => (e.kind === 'lifecycle' ? e.eventName : e.kind))).toEqual([
      'suspended',
      'resumed',
    ]);
    subscription();
  });

  it('a frozen daemon is noticed by keepalive within ~15 s, and the link comes back', async () => {
    const a = await app();
    const saved = await a.ok<SavedConnection>('connection:add', {
      alias: 'frozen',
      uri: daemon.uri('test'),
    });
    await a.ok('connection:connect', { id: saved.id });
    const stoppedAt = performance.now();
    process.kill(daemon.pid, 'SIGSTOP');
    let noticedAt: number;
    try {
      const noticed = await a.waitForStatus(saved.id, 'reconnecting', 25_000, stoppedAt);
      noticedAt = noticed.at;
      expect(noticed.state).toMatchObject({ lastError: { reason: 'keepalive' } });
    } finally {
      process.kill(daemon.pid, 'SIGCONT');
    }
    const silence = noticedAt - stoppedAt;
    measured.push(`frozen daemon (SIGSTOP): noticed by keepalive after ${Math.round(silence)} ms`);
    // PING after 5 s of silence, dead at 15 s; the daemon's own last PING may predate the stop.
    expect(silence).toBeGreaterThan(9_000);
    expect(silence).toBeLessThan(16_500);
    await a.waitForStatus(saved.id, 'connected', 30_000, noticedAt);
    const client = a.services.connections.client(saved.id);
    expect(client && (await domainList(client)).length).toBeGreaterThan(0);
  }, 60_000);

  it('over SSH with a password: asked once, reconnects after a daemon restart without asking', async (ctx) => {
    const user = sshd.passwordUser;
    if (!user) {
      ctx.skip(`no password user: ${sshd.passwordUserSkipped ?? 'unknown reason'}`);
      return;
    }
    const a = await app();
    await mkdir(path.join(a.home, '.ssh'), { mode: 0o700 });
    await writeFile(path.join(a.home, '.ssh', 'known_hosts'), `${sshd.knownHostsLine}\n`);
    const uri = `test+ssh://${user.name}@127.0.0.1:${sshd.port}/default?socket=${socketQuery(relay.path)}`;
    const saved = await a.ok<SavedConnection>('connection:add', {
      alias: 'pw-host',
      uri,
      ssh: { useAgent: false },
    });
    const connecting = a.call('connection:connect', { id: saved.id });
    const prompt = await a.answerNextPrompt(saved.id, { action: 'answer', answer: user.password });
    expect(prompt).toMatchObject({ kind: 'password', canRemember: false, echo: false });
    expect(prompt.kind === 'password' && prompt.prompt).toBe(
      `${user.name}@127.0.0.1:${sshd.port}'s password:`,
    );
    expect(await connecting).toMatchObject({ ok: true, value: { status: 'connected' } });
    expect(a.statesOf(saved.id)).toEqual(['connecting', 'auth-needed', 'connecting', 'connected']);

    await killAndRestart(a, saved.id, 'qemu+ssh, password auth');
    expect(a.prompts).toHaveLength(1);
    const client = a.services.connections.client(saved.id);
    expect(client && (await domainList(client)).map((d) => d.name)).toContain('test');

    // Nothing sensitive on disk: not in connections.json, not anywhere in the config folder.
    for (const name of await readdir(a.configDir)) {
      expect(await readFile(path.join(a.configDir, name), 'utf8'), name).not.toContain(
        user.password,
      );
    }
  }, 90_000);
});
