import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRemoteCommand,
  defaultRemoteSocket,
  validateDriverUri,
  validateSocketPath,
} from '../../../../electron/libvirt/transport/ssh-remote-command';
import {
  LIBVIRT_PROBE_COMMAND,
  chooseRemoteSocket,
  parseLibvirtProbe,
} from '../../../../electron/libvirt/transport/ssh-libvirt-probe';
import { shellQuote } from '../../../../electron/ssh/shell-quote';
import { SshError } from '../../../../electron/ssh/ssh-error';
import { runCommand } from '../../../harness/run-command';

/**
 * The commands are run by a real /bin/sh here, the way sshd runs them remotely (as
 * `$SHELL -c <command>`), with stub virt-ssh-helper / nc that print their argv. That
 * checks the quoting end to end instead of comparing strings.
 */
let bin = '';
/** Only sh, grep and which, so a PATH can lack nc and virt-ssh-helper (Debian's /bin has nc). */
let basics = '';

async function stub(name: string, script: string): Promise<void> {
  const path = join(bin, name);
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
}

/** Runs `command` like sshd would, with PATH limited to our stubs plus the basics. */
async function runRemote(
  command: string,
  extraPath = '',
): Promise<{ stdout: string; stderr: string; code: number }> {
  return runCommand('/bin/sh', ['-c', command], {
    env: { PATH: `${extraPath}${bin}:/usr/bin:/bin`.replace(/^:/, ''), HOME: bin },
  });
}

beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'vd-remote-cmd-'));
  basics = join(bin, 'basics');
  await mkdir(basics);
  for (const tool of ['sh', 'grep', 'which']) {
    const found = await runCommand('/bin/sh', ['-c', `command -v ${tool}`]);
    await symlink(found.stdout.trim(), join(basics, tool));
  }
  // Argument vector, one per line, so quoting mistakes show as split or merged words.
  await stub('virt-ssh-helper', 'echo helper; for a in "$@"; do echo "arg:$a"; done');
  await stub(
    'nc',
    'if [ "$1" = "-q" ] && [ $# -eq 1 ]; then echo "nc: option requires an argument -- q" >&2; exit 1; fi\n' +
      'echo nc; for a in "$@"; do echo "arg:$a"; done',
  );
});

afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
});

describe('shellQuote', () => {
  it('round-trips hostile words through a real shell unchanged', async () => {
    const words = [
      "it's",
      "'; rm -rf / #",
      '$(reboot)',
      '`id`',
      'a\nb',
      '"double" \\ back',
      '',
      "''''",
      '*?[a]~',
    ];
    for (const word of words) {
      const out = await runCommand('/bin/sh', ['-c', `printf %s ${shellQuote(word)}`]);
      expect(out.stdout).toBe(word);
    }
  });

  it('refuses NUL, which no shell word can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('validation of values that reach a remote command', () => {
  it('refuses malicious or malformed socket paths', () => {
    const bad = [
      "/tmp/x'; rm -rf / #",
      '/tmp/$(reboot)',
      '/tmp/`id`',
      'relative/sock',
      '/tmp/a b',
      '/tmp/x\n/y',
      '/var/run/../../etc/shadow',
      `/${'a'.repeat(120)}`,
      '',
    ];
    for (const path of bad) {
      expect(() => validateSocketPath(path), path).toThrow(SshError);
      expect(() => buildRemoteCommand({ driverUri: 'qemu:///system', socket: path }), path).toThrow(
        /Invalid remote socket path/,
      );
    }
    expect(validateSocketPath('/run/user/1000/libvirt/virtqemud-sock')).toBe(
      '/run/user/1000/libvirt/virtqemud-sock',
    );
  });

  it('refuses driver URIs that are not URIs', () => {
    for (const uri of [
      "qemu:///system'; reboot",
      'qemu:///system extra',
      'not a uri',
      'qemu:/x',
      '',
    ]) {
      expect(() => validateDriverUri(uri), uri).toThrow(/Invalid libvirt driver URI/);
      expect(() => buildRemoteCommand({ driverUri: uri }), uri).toThrow(SshError);
    }
    expect(validateDriverUri('qemu:///embed?root=/srv/x&a=%20b')).toBe(
      'qemu:///embed?root=/srv/x&a=%20b',
    );
  });

  it('refuses unknown mode/proxy/channel values and a bad socket even with proxy=native', () => {
    const bad = [{ mode: 'sideways' }, { proxy: 'ssh' }, { channel: 'telepathy' }];
    for (const extra of bad) {
      expect(() =>
        buildRemoteCommand({ driverUri: 'qemu:///system', ...(extra as object) }),
      ).toThrow(/Invalid (mode|proxy|channel)=/);
    }
    expect(() =>
      buildRemoteCommand({ driverUri: 'qemu:///system', proxy: 'native', socket: '/x;reboot' }),
    ).toThrow(/Invalid remote socket path/);
  });

  it('refuses netcat binary names with shell syntax', () => {
    for (const nc of ['nc; reboot', '-e', 'n c', '$(x)']) {
      expect(() => buildRemoteCommand({ driverUri: 'qemu:///system', netcat: nc }), nc).toThrow(
        /Invalid netcat/,
      );
    }
  });
});

describe('the command libvirt would run', () => {
  it('proxy=auto: runs virt-ssh-helper with the driver URI as one word when installed', async () => {
    const cmd = buildRemoteCommand({ driverUri: 'qemu:///system' });
    expect(cmd.command.startsWith("sh -c '")).toBe(true);
    expect(cmd.label).toBe('virt-ssh-helper or nc');
    const out = await runRemote(cmd.command);
    expect(out.stdout.split('\n').filter(Boolean)).toEqual(['helper', 'arg:qemu:///system']);
  });

  it('proxy=auto, read-only: passes -r to the helper', async () => {
    const out = await runRemote(
      buildRemoteCommand({ driverUri: 'test:///default', readOnly: true }).command,
    );
    expect(out.stdout.split('\n').filter(Boolean)).toEqual([
      'helper',
      'arg:-r',
      'arg:test:///default',
    ]);
  });

  it('proxy=auto without virt-ssh-helper: falls back to nc -q0 -U on the legacy socket', async () => {
    const onlyNc = await mkdtemp(join(tmpdir(), 'vd-only-nc-'));
    try {
      await writeFile(
        join(onlyNc, 'nc'),
        '#!/bin/sh\nif [ "$1" = "-q" ] && [ $# -eq 1 ]; then echo "nc: option requires an argument -- q" >&2; exit 1; fi\necho nc; for a in "$@"; do echo "arg:$a"; done\n',
      );
      await chmod(join(onlyNc, 'nc'), 0o755);
      const cmd = buildRemoteCommand({ driverUri: 'qemu:///system', readOnly: true });
      const out = await runCommand('/bin/sh', ['-c', cmd.command], {
        env: { PATH: `${onlyNc}:${basics}` },
      });
      expect(out.stdout.split('\n').filter(Boolean)).toEqual([
        'nc',
        'arg:-q0',
        'arg:-U',
        'arg:/var/run/libvirt/libvirt-sock-ro',
      ]);
    } finally {
      await rm(onlyNc, { recursive: true, force: true });
    }
  });

  it('socket= or proxy=netcat: only the netcat form, socket as one word', async () => {
    const withSocket = buildRemoteCommand({
      driverUri: 'qemu:///system',
      socket: '/tmp/my_dir-less/sock',
    });
    expect(withSocket.label).toBe('nc -U /tmp/my_dir-less/sock');
    const out = await runRemote(withSocket.command);
    expect(out.stdout.split('\n').filter(Boolean)).toEqual([
      'nc',
      'arg:-q0',
      'arg:-U',
      'arg:/tmp/my_dir-less/sock',
    ]);

    const direct = buildRemoteCommand({
      driverUri: 'qemu:///system',
      proxy: 'netcat',
      mode: 'direct',
    });
    const out2 = await runRemote(direct.command);
    expect(out2.stdout).toContain('arg:/var/run/libvirt/virtqemud-sock');
  });

  it('netcat= names the binary; a netcat without the -q quirk gets no -q0', async () => {
    await stub('ncat', 'echo ncat; for a in "$@"; do echo "arg:$a"; done');
    const cmd = buildRemoteCommand({ driverUri: 'qemu:///system', netcat: 'ncat' });
    const out = await runRemote(cmd.command);
    expect(out.stdout.split('\n').filter(Boolean)).toEqual([
      'ncat',
      'arg:-U',
      'arg:/var/run/libvirt/libvirt-sock',
    ]);
  });

  it('proxy=native and session URIs: virt-ssh-helper only', async () => {
    const session = buildRemoteCommand({ driverUri: 'qemu:///session' });
    expect(session.label).toBe('virt-ssh-helper');
    expect((await runRemote(session.command)).stdout.split('\n').filter(Boolean)).toEqual([
      'helper',
      'arg:qemu:///session',
    ]);
    const native = buildRemoteCommand({
      driverUri: 'qemu:///system',
      proxy: 'native',
      readOnly: true,
    });
    expect((await runRemote(native.command)).stdout).toContain('arg:-r\narg:qemu:///system');
    expect(() => buildRemoteCommand({ driverUri: 'qemu:///session', proxy: 'netcat' })).toThrow(
      /socket=/,
    );
  });

  it('shows a missing helper/netcat on stderr, which the transport reports', async () => {
    const cmd = buildRemoteCommand({ driverUri: 'qemu:///system', proxy: 'netcat' });
    const out = await runCommand('/bin/sh', ['-c', cmd.command], { env: { PATH: basics } });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/nc.*not found/);
  });

  it('picks default sockets like libvirt: legacy, -ro, or the modular daemon with mode=direct', () => {
    expect(defaultRemoteSocket({ driverUri: 'qemu:///system' })).toBe(
      '/var/run/libvirt/libvirt-sock',
    );
    expect(defaultRemoteSocket({ driverUri: 'qemu:///system', readOnly: true })).toBe(
      '/var/run/libvirt/libvirt-sock-ro',
    );
    expect(defaultRemoteSocket({ driverUri: 'lxc:///system', mode: 'direct' })).toBe(
      '/var/run/libvirt/virtlxcd-sock',
    );
    expect(defaultRemoteSocket({ driverUri: 'test:///default', mode: 'direct' })).toBe(
      '/var/run/libvirt/libvirt-sock',
    );
  });
});

describe('the probe', () => {
  it('is a fixed command that a real shell runs, listing sockets it finds', async () => {
    const out = await runRemote(LIBVIRT_PROBE_COMMAND);
    expect(out.code).toBe(0);
    // Our stub virt-ssh-helper is on PATH; no libvirt sockets exist under /var/run/libvirt here.
    expect(parseLibvirtProbe(out.stdout).helper).toBe(true);
  });

  it('sees a real session socket in $HOME/.cache/libvirt when XDG_RUNTIME_DIR is unset', async () => {
    const home = await mkdtemp(join(tmpdir(), 'vd-probe-home-'));
    const server = createServer();
    try {
      await mkdir(join(home, '.cache', 'libvirt'), { recursive: true });
      const socket = join(home, '.cache', 'libvirt', 'virtqemud-sock');
      await new Promise<void>((resolve) => server.listen(socket, resolve));
      // A plain file with a socket's name must not count.
      await writeFile(join(home, '.cache', 'libvirt', 'libvirt-sock'), '');
      const out = await runCommand('/bin/sh', ['-c', LIBVIRT_PROBE_COMMAND], {
        env: { PATH: basics, HOME: home },
      });
      const probe = parseLibvirtProbe(out.stdout);
      expect(probe).toEqual({ helper: false, systemSockets: [], sessionSockets: [socket] });
      expect(chooseRemoteSocket({ driverUri: 'qemu:///session' }, probe)).toBe(socket);
    } finally {
      server.close();
      await rm(home, { recursive: true, force: true });
    }
  });

  it('parses only the lines it expects and drops unsafe paths', () => {
    const probe = parseLibvirtProbe(
      [
        'helper',
        'system /var/run/libvirt/virtqemud-sock',
        'system /var/run/libvirt/virtqemud-sock-ro',
        'system /var/run/libvirt/libvirt-sock',
        "system /tmp/evil'sock",
        'session /run/user/1000/libvirt/libvirt-sock',
        'garbage line',
      ].join('\n'),
    );
    expect(probe).toEqual({
      helper: true,
      systemSockets: [
        '/var/run/libvirt/virtqemud-sock',
        '/var/run/libvirt/virtqemud-sock-ro',
        '/var/run/libvirt/libvirt-sock',
      ],
      sessionSockets: ['/run/user/1000/libvirt/libvirt-sock'],
    });
  });

  it('prefers the modular daemon in mode=auto, honours legacy/direct/read-only and sessions', () => {
    const modular = parseLibvirtProbe(
      'system /var/run/libvirt/virtqemud-sock\nsystem /var/run/libvirt/virtqemud-sock-ro\nsystem /var/run/libvirt/libvirt-sock\n',
    );
    const legacyOnly = parseLibvirtProbe(
      'system /var/run/libvirt/libvirt-sock\nsystem /var/run/libvirt/libvirt-sock-ro\n',
    );
    expect(chooseRemoteSocket({ driverUri: 'qemu:///system' }, modular)).toBe(
      '/var/run/libvirt/virtqemud-sock',
    );
    expect(chooseRemoteSocket({ driverUri: 'qemu:///system', readOnly: true }, modular)).toBe(
      '/var/run/libvirt/virtqemud-sock-ro',
    );
    expect(chooseRemoteSocket({ driverUri: 'qemu:///system', mode: 'legacy' }, modular)).toBe(
      '/var/run/libvirt/libvirt-sock',
    );
    expect(chooseRemoteSocket({ driverUri: 'qemu:///system' }, legacyOnly)).toBe(
      '/var/run/libvirt/libvirt-sock',
    );
    expect(
      chooseRemoteSocket({ driverUri: 'qemu:///system', mode: 'direct' }, legacyOnly),
    ).toBeNull();
    expect(chooseRemoteSocket({ driverUri: 'test:///default' }, modular)).toBe(
      '/var/run/libvirt/libvirt-sock',
    );
    expect(chooseRemoteSocket({ driverUri: 'qemu:///session' }, legacyOnly)).toBeNull();
    const session = parseLibvirtProbe('session /run/user/1000/libvirt/virtqemud-sock\n');
    expect(chooseRemoteSocket({ driverUri: 'qemu:///session' }, session)).toBe(
      '/run/user/1000/libvirt/virtqemud-sock',
    );
  });
});
