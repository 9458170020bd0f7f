import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { knownHostsName } from './known-hosts-check';

/** The file's text, or '' when it does not exist yet (a first connection). */
export async function readKnownHostsText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** One OpenSSH known_hosts line (unhashed, like `HashKnownHosts no`). */
export function formatKnownHostsLine(
  host: string,
  port: number,
  keyType: string,
  keyBlob: Uint8Array,
): string {
  if (!/^[\x21-\x7e]+$/.test(host) || /[,#[\]|!*?]/.test(host) || host.startsWith('@')) {
    throw new Error(`Refusing to write host name ${JSON.stringify(host)} to known_hosts`);
  }
  if (!/^[a-z0-9@.-]+$/i.test(keyType)) {
    throw new Error(`Refusing to write key type ${JSON.stringify(keyType)} to known_hosts`);
  }
  return `${knownHostsName(host, port)} ${keyType} ${Buffer.from(keyBlob).toString('base64')}`;
}

/**
 * Appends `line`, never rewriting what is there. Creates the directory 0700 and the file
 * 0600 when missing (as ssh does for ~/.ssh), and starts on a fresh line if the file's
 * last line has no newline.
 */
export async function appendKnownHostsLine(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const handle = await open(path, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.appendFile(`${prefix}${line}\n`, 'utf8');
  } finally {
    await handle.close();
  }
}
