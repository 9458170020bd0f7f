import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidUriError, TransportError } from '../../../../electron/libvirt/errors';
import { parseLibvirtUri } from '../../../../electron/libvirt/uri/libvirt-uri';
import {
  chooseUnixSocket,
  openUnixTransport,
} from '../../../../electron/libvirt/transport/unix-transport';

const dir = mkdtempSync(join(tmpdir(), 'virtdeck-unix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
const none = (): boolean => false;
const only =
  (...paths: string[]) =>
  (p: string): boolean =>
    paths.includes(p);

describe('chooseUnixSocket (libvirt mode=auto rules)', () => {
  it.each([
    // uri, mode, readOnly, euid, existing sockets, expected path
    ['qemu:///system', 'auto', false, 0, [], '/var/run/libvirt/libvirt-sock'],
    [
      'qemu:///system',
      'auto',
      false,
      0,
      ['/var/run/libvirt/virtqemud-sock'],
      '/var/run/libvirt/virtqemud-sock',
    ],
    [
      'qemu:///system',
      'auto',
      true,
      0,
      ['/var/run/libvirt/virtqemud-sock-ro'],
      '/var/run/libvirt/virtqemud-sock-ro',
    ],
    ['qemu:///system', 'auto', true, 0, [], '/var/run/libvirt/libvirt-sock-ro'],
    [
      'qemu:///system',
      'legacy',
      false,
      0,
      ['/var/run/libvirt/virtqemud-sock'],
      '/var/run/libvirt/libvirt-sock',
    ],
    ['qemu:///system', 'direct', false, 0, [], '/var/run/libvirt/virtqemud-sock'],
    [
      'lxc:///system',
      'auto',
      false,
      0,
      ['/var/run/libvirt/virtlxcd-sock'],
      '/var/run/libvirt/virtlxcd-sock',
    ],
    ['qemu:///session', 'auto', false, 1000, [], '/run/user/1000/libvirt/libvirt-sock'],
    [
      'qemu:///session',
      'auto',
      true,
      1000,
      ['/run/user/1000/libvirt/virtqemud-sock'],
      '/run/user/1000/libvirt/virtqemud-sock',
    ],
    // root's /session and non-root /system go to the system daemon, as in libvirt.
    ['qemu:///session', 'auto', false, 0, [], '/var/run/libvirt/libvirt-sock'],
    ['qemu:///system', 'auto', false, 1000, [], '/var/run/libvirt/libvirt-sock'],
    ['test+unix:///default', 'auto', false, 1000, [], '/run/user/1000/libvirt/libvirt-sock'],
    ['remote:///', 'auto', false, 0, [], '/var/run/libvirt/libvirt-sock'],
    ['qemu:///system?socket=/tmp/my.sock', 'direct', true, 1000, [], '/tmp/my.sock'],
  ] as const)('%s mode=%s ro=%s euid=%i', (uri, mode, readOnly, euid, existing, expected) => {
    const choice = chooseUnixSocket(parseLibvirtUri(uri), mode, readOnly, {
      euid,
      env,
      exists: only(...existing),
    });
    expect(choice.path).toBe(expected);
  });

  it('lists what mode=auto considered, for the error message', () => {
    const choice = chooseUnixSocket(parseLibvirtUri('qemu:///system'), 'auto', false, {
      euid: 0,
      exists: none,
    });
    expect(choice.considered).toEqual([
      '/var/run/libvirt/virtqemud-sock',
      '/var/run/libvirt/libvirt-sock',
    ]);
  });

  it('falls back to ~/.cache/libvirt without XDG_RUNTIME_DIR', () => {
    const choice = chooseUnixSocket(parseLibvirtUri('qemu:///session'), 'auto', false, {
      euid: 1000,
      env: {},
      home: '/home/u',
      exists: none,
    });
    expect(choice.path).toBe('/home/u/.cache/libvirt/libvirt-sock');
  });

  it('rejects a relative socket path and direct mode for the remote driver', () => {
    expect(() =>
      chooseUnixSocket(parseLibvirtUri('qemu:///system?socket=rel.sock'), 'auto', false),
    ).toThrow(InvalidUriError);
    expect(() =>
      chooseUnixSocket(parseLibvirtUri('remote:///'), 'direct', false, { euid: 0 }),
    ).toThrow('Cannot use direct socket mode if no URI is set');
  });
});

describe('openUnixTransport', () => {
  it('names the path (and the alternatives tried) when nothing listens', async () => {
    const path = join(dir, 'absent-sock');
    const err = await openUnixTransport({
      path,
      considered: [join(dir, 'virtqemud-sock'), path],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: 'connect' });
    expect((err as Error).message).toBe(
      `Failed to connect socket to '${path}': No such file or directory (tried ${join(dir, 'virtqemud-sock')}, ${path})`,
    );
  });

  it('connects to a listening socket', async () => {
    const path = join(dir, 'live-sock');
    const server = createServer((s) => s.end('hi'));
    await new Promise<void>((r) => server.listen(path, r));
    try {
      const t = await openUnixTransport({ path, considered: [path] });
      expect(t.description).toBe(`unix:${path}`);
      const got = await new Promise<string>((r) =>
        t.stream.once('data', (d: Buffer) => r(d.toString())),
      );
      expect(got).toBe('hi');
      t.close();
    } finally {
      server.close();
    }
  });
});
