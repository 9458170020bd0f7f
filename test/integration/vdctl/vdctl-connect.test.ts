import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveDaemonUser, type DaemonUser } from '../../harness/daemon-user';
import { findExecutable } from '../../harness/find-executable';
import { runCommand } from '../../harness/run-command';
import { cliEnvironment, ensureVdctlBuilt, vdctl } from './vdctl-cli';

/**
 * URI resolution as virsh does it: -c takes a URI or an alias from libvirt.conf, and without
 * -c comes LIBVIRT_DEFAULT_URI, then uri_default. libvirt reads $XDG_CONFIG_HOME/libvirt/
 * libvirt.conf only for non-root users (root reads /etc/libvirt, which tests never touch),
 * so as root both tools run as the daemon's unprivileged user, which may use its socket.
 */
const { qemuUri } = inject('libvirtd');

describe('vdctl connection URI resolution', () => {
  let home = '';
  let user: DaemonUser;

  const as = () =>
    process.getuid?.() === 0
      ? { uid: user.uid, gid: user.gid }
      : { uid: undefined, gid: undefined };

  async function writeConf(lines: string[]): Promise<void> {
    const file = join(home, 'libvirt', 'libvirt.conf');
    await writeFile(file, `${lines.join('\n')}\n`);
    await chmod(file, 0o644);
  }

  /** The same command line through vdctl and virsh, same user, same environment. */
  async function pair(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const env = cliEnvironment({ HOME: home, XDG_CONFIG_HOME: home, ...extraEnv });
    const ours = await vdctl(args, { env, ...as() });
    const theirs = await runCommand(findExecutable('virsh'), args, {
      env,
      ...as(),
      timeoutMs: 60_000,
    });
    return { ours, theirs };
  }

  beforeAll(async () => {
    await ensureVdctlBuilt();
    user = await resolveDaemonUser();
    home = await mkdtemp(join(tmpdir(), 'vdctl-conf-'));
    await mkdir(join(home, 'libvirt'));
    if (process.getuid?.() === 0) {
      await chown(home, user.uid, user.gid);
      await chown(join(home, 'libvirt'), user.uid, user.gid);
    }
  });

  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('-c ALIAS resolves through uri_aliases in the temp libvirt.conf', async () => {
    await writeConf([`uri_aliases = [ "vdtest=${qemuUri}", "other=test:///default" ]`]);
    const r = await pair(['-c', 'vdtest', 'nodeinfo']);
    expect(r.theirs.code, r.theirs.stderr).toBe(0);
    expect(r.ours.stderr).toBe('');
    expect(r.ours.code).toBe(0);
    expect(r.ours.stdout).toBe(r.theirs.stdout);
    expect(r.ours.stdout).toMatch(/^CPU model: /);
  });

  it('takes LIBVIRT_DEFAULT_URI (itself an alias) when -c is absent', async () => {
    await writeConf([`uri_aliases = [ "vdtest=${qemuUri}" ]`]);
    const r = await pair(['list', '--all'], { LIBVIRT_DEFAULT_URI: 'vdtest' });
    expect(r.theirs.code, r.theirs.stderr).toBe(0);
    expect(r.ours.code, r.ours.stderr).toBe(0);
    expect(r.ours.stdout).toBe(r.theirs.stdout);
  });

  it('falls back to uri_default, and -c still wins over it', async () => {
    await writeConf([`uri_aliases = [ "vdtest=${qemuUri}" ]`, 'uri_default = "vdtest"']);
    const fallback = await pair(['nodeinfo']);
    expect(fallback.ours.code, fallback.ours.stderr).toBe(0);
    expect(fallback.ours.stdout).toBe(fallback.theirs.stdout);

    // -c with a driver the daemon does not serve the way uri_default does: the test
    // driver answers with its own fake host, so seeing it proves -c was used.
    const testUri = qemuUri.replace('qemu+unix:///session', 'test+unix:///default');
    const explicit = await pair(['-c', testUri, 'nodeinfo']);
    expect(explicit.ours.code, explicit.ours.stderr).toBe(0);
    expect(explicit.ours.stdout).toBe(explicit.theirs.stdout);
    expect(explicit.ours.stdout).not.toBe(fallback.ours.stdout);
  });

  it('fails like virsh for an unknown alias and for a broken libvirt.conf', async () => {
    await writeConf([`uri_aliases = [ "vdtest=${qemuUri}" ]`]);
    const unknown = await pair(['-c', 'nosuchalias', 'list']);
    expect(unknown.theirs.code).toBe(1);
    expect(unknown.ours.code).toBe(1);
    expect(unknown.ours.stderr.split('\n')[0]).toBe('error: failed to connect to the hypervisor');
    expect(unknown.ours.stderr).toContain('nosuchalias');

    await writeConf(['uri_aliases = [ "no-equals-sign" ]']);
    const broken = await pair(['-c', 'anything', 'list']);
    expect(broken.theirs.code).toBe(1);
    expect(broken.ours.code).toBe(1);
    expect(broken.ours.stderr).toContain("Malformed 'uri_aliases' config entry 'no-equals-sign'");
  });
});
