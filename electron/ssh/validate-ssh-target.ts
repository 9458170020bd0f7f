import { SshError } from './ssh-error';

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?$/;

/** A DNS name, IPv4 or IPv6 literal (brackets stripped); anything else is refused. */
export function validateSshHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const ok = HOST_NAME.test(bare) || (bare.includes(':') && IPV6.test(bare));
  if (!ok) {
    throw new SshError(
      'invalid-input',
      `Invalid SSH host name ${JSON.stringify(host.slice(0, 100))}`,
    );
  }
  return bare;
}

export function validateSshPort(port: number | undefined): number {
  const value = port ?? 22;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new SshError('invalid-input', `Invalid SSH port ${String(port)}: expected 1–65535`);
  }
  return value;
}

/** The name travels inside the SSH protocol, not a shell; refuse only what no account has. */
export function validateSshUsername(name: string): string {
  if (name.length === 0 || name.length > 256 || hasControlOrSpace(name)) {
    throw new SshError(
      'invalid-input',
      `Invalid SSH user name ${JSON.stringify(name.slice(0, 100))}`,
    );
  }
  return name;
}

function hasControlOrSpace(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || /\s/.test(ch)) return true;
  }
  return false;
}
