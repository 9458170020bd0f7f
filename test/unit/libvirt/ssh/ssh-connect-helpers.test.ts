import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toContractError } from '../../../../electron/handlers/to-contract-error';
import { classifyConnectError } from '../../../../electron/ssh/classify-connect-error';
import { preferKnownHostKeyAlgorithms } from '../../../../electron/ssh/connect-hop';
import { PausableDeadline } from '../../../../electron/ssh/pausable-deadline';
import { SshError } from '../../../../electron/ssh/ssh-error';
import {
  validateSshHost,
  validateSshPort,
  validateSshUsername,
} from '../../../../electron/ssh/validate-ssh-target';

function errnoError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyConnectError', () => {
  // Node and ssh2 report these shapes; the integration tests hit refused and timeout for real.
  it.each([
    ['ECONNREFUSED', 'connection-refused', /refused/],
    ['EHOSTUNREACH', 'host-unreachable', /unreachable/],
    ['ENETUNREACH', 'host-unreachable', /unreachable/],
    ['ENOTFOUND', 'dns', /Cannot resolve host name "kvm\.example" \(port 2222\): no such host/],
    ['EAI_AGAIN', 'dns', /name server did not answer/],
    ['ETIMEDOUT', 'timeout', /timed out/],
    ['ECONNRESET', 'connection-lost', /reset/],
  ])('%s → %s, naming host and port', (code, reason, text) => {
    const error = classifyConnectError(errnoError(code), 'kvm.example', 2222);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(text);
    expect(error.message).toContain('kvm.example');
    expect(error.message).toContain('2222');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('brackets IPv6 literals', () => {
    expect(classifyConnectError(errnoError('ECONNREFUSED'), '::1', 22).message).toContain(
      '[::1]:22',
    );
  });

  it('ssh2 levels: timeout, handshake, lost before handshake', () => {
    const level = (message: string, lvl: string) =>
      Object.assign(new Error(message), { level: lvl });
    expect(classifyConnectError(level('Keepalive timeout', 'client-timeout'), 'h', 22).reason).toBe(
      'timeout',
    );
    expect(classifyConnectError(level('no matching cipher', 'handshake'), 'h', 22)).toMatchObject({
      reason: 'protocol',
      message: 'SSH handshake with h:22 failed: no matching cipher',
    });
    expect(
      classifyConnectError(level('Connection lost before handshake', 'protocol'), 'h', 22).message,
    ).toMatch(/before the SSH handshake/);
  });
});

describe('preferKnownHostKeyAlgorithms', () => {
  it('keeps ssh2’s order when nothing is known', () => {
    expect(preferKnownHostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
  });

  it('puts known types first; ssh-rsa means the rsa-sha2 signatures too', () => {
    expect(preferKnownHostKeyAlgorithms(['ssh-rsa'])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
    ]);
    expect(preferKnownHostKeyAlgorithms(['ecdsa-sha2-nistp384', 'x-unknown']).slice(0, 2)).toEqual([
      'ecdsa-sha2-nistp384',
      'ssh-ed25519',
    ]);
  });
});

describe('PausableDeadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires after its time, but not while paused for the user', async () => {
    const fired = vi.fn();
    const deadline = new PausableDeadline(1_000, fired);
    deadline.start();
    vi.advanceTimersByTime(600);
    let answer: (value: string) => void = () => undefined;
    const asked = deadline.whilePaused(() => new Promise<string>((resolve) => (answer = resolve)));
    vi.advanceTimersByTime(60_000);
    expect(fired).not.toHaveBeenCalled();
    answer('secret');
    await expect(asked).resolves.toBe('secret');
    vi.advanceTimersByTime(399);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancel stops it for good; 0 means no deadline', () => {
    const fired = vi.fn();
    const cancelled = new PausableDeadline(100, fired);
    cancelled.start();
    cancelled.cancel();
    const none = new PausableDeadline(0, fired);
    none.start();
    vi.advanceTimersByTime(10_000);
    expect(fired).not.toHaveBeenCalled();
  });
});

describe('target validation', () => {
  it('accepts names and addresses, refuses option-like or odd host names', () => {
    expect(validateSshHost('kvm1.lab.example')).toBe('kvm1.lab.example');
    expect(validateSshHost('10.0.0.1')).toBe('10.0.0.1');
    expect(validateSshHost('[fe80::1%eth0]')).toBe('fe80::1%eth0');
    for (const bad of ['-oProxyCommand=x', 'a b', 'host;reboot', '', 'a..b', 'x/y']) {
      expect(() => validateSshHost(bad), bad).toThrow(/Invalid SSH host/);
    }
  });

  it('checks ports and user names', () => {
    expect(validateSshPort(undefined)).toBe(22);
    for (const bad of [0, 65536, 22.5, NaN])
      expect(() => validateSshPort(bad)).toThrow(/Invalid SSH port/);
    expect(validateSshUsername('DOMAIN\\ann')).toBe('DOMAIN\\ann');
    for (const bad of ['', 'a b', 'x\n'])
      expect(() => validateSshUsername(bad)).toThrow(/Invalid SSH user/);
  });
});

describe('SshError at the IPC border', () => {
  it('crosses as a transport error with its message intact, also as a cause', () => {
    const error = new SshError(
      'host-key-changed',
      'WARNING: the ssh-ed25519 host key of h:22 has CHANGED.',
    );
    expect(toContractError(error)).toEqual({ kind: 'transport', message: error.message });
    const wrapped = new Error('Connecting to qemu+ssh://h/system failed', { cause: error });
    expect(toContractError(wrapped)).toEqual({
      kind: 'transport',
      message: `Connecting to qemu+ssh://h/system failed: ${error.message}`,
    });
  });
});
