import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../../../electron/libvirt/errors';
import {
  locateTlsCredentials,
  openTlsTransport,
  type TlsCredentialFiles,
} from '../../../../electron/libvirt/transport/tls-transport';

const dir = mkdtempSync(join(tmpdir(), 'virtdeck-tls-'));
const pki = join(dir, 'pki');
const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as libvirt lays them out. */
function makePki(): void {
  mkdirSync(pki);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    join(pki, 'cacert.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=VirtDeck test CA',
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, ext] of [
    ['server', ['-extfile', 'server.ext']],
    ['client', []],
  ] as const) {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      join(pki, 'cacert.pem'),
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      ...ext,
    );
  }
  writeFileSync(join(pki, 'clientcert.pem'), readFileSync(join(dir, 'client.pem')));
  writeFileSync(join(pki, 'clientkey.pem'), readFileSync(join(dir, 'client.key')));
}

let server: Server;
let port: number;
/** What the fake libvirtd sends after the handshake (libvirt: 1 = client accepted). */
let verdict: number[] = [1];
let clientCertSeen: string | string[] | undefined;

beforeAll(async () => {
  makePki();
  server = createServer(
    {
      key: readFileSync(join(dir, 'server.key')),
      cert: readFileSync(join(dir, 'server.pem')),
      ca: readFileSync(join(pki, 'cacert.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket: TLSSocket) => {
      clientCertSeen = socket.getPeerCertificate().subject?.CN;
      socket.on('error', () => {});
      if (verdict.length === 0) socket.end();
      else socket.write(Buffer.from([...verdict, 0x00, 0x00, 0x00, 0x1c])); // + start of a packet
      socket.on('data', (d) => socket.write(d)); // echo
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const files = (): TlsCredentialFiles => locateTlsCredentials({ pkipath: pki });

describe('locateTlsCredentials', () => {
  it('uses libvirt’s system paths for root', () => {
    expect(locateTlsCredentials({ euid: 0 })).toEqual({
      ca: '/etc/pki/CA/cacert.pem',
      crl: '/etc/pki/CA/cacrl.pem',
      cert: '/etc/pki/libvirt/clientcert.pem',
      key: '/etc/pki/libvirt/private/clientkey.pem',
    });
  });

  it('uses ~/.pki/libvirt per file for users, the certificate and key as a pair', () => {
    const user = '/home/u/.pki/libvirt';
    expect(
      locateTlsCredentials({
        euid: 1000,
        home: '/home/u',
        exists: (p) => p === `${user}/cacert.pem` || p === `${user}/clientcert.pem`,
      }),
    ).toEqual({
      ca: `${user}/cacert.pem`,
      crl: '/etc/pki/CA/cacrl.pem',
      cert: '/etc/pki/libvirt/clientcert.pem',
      key: '/etc/pki/libvirt/private/clientkey.pem',
    });
  });

  it('takes everything from ?pkipath=', () => {
    expect(locateTlsCredentials({ pkipath: '/x', euid: 0 })).toEqual({
      ca: '/x/cacert.pem',
      crl: '/x/cacrl.pem',
      cert: '/x/clientcert.pem',
      key: '/x/clientkey.pem',
    });
  });
});

describe('openTlsTransport', () => {
  it('handshakes with a client certificate, reads the confirmation byte, keeps what follows', async () => {
    verdict = [1];
    const t = await openTlsTransport({ host: '127.0.0.1', port, files: files() });
    expect(t.description).toBe(`tls:127.0.0.1:${port}`);
    expect(clientCertSeen).toBe('client');
    // The bytes after the verdict are the first RPC bytes: they must not be lost.
    const first = await new Promise<Buffer>((r) => t.stream.once('data', r));
    expect([...first]).toEqual([0, 0, 0, 0x1c]);
    t.close();
  });

  it('fails clearly when the daemon rejects us', async () => {
    verdict = [0];
    await expect(openTlsTransport({ host: '127.0.0.1', port, files: files() })).rejects.toThrow(
      `TLS connection to '127.0.0.1:${port}' failed: server verification (of our certificate or IP address) failed`,
    );
    verdict = [];
    await expect(openTlsTransport({ host: '127.0.0.1', port, files: files() })).rejects.toThrow(
      /did not accept our client certificate/,
    );
  });

  it('names the missing credential file', async () => {
    const missing = { ...files(), key: join(dir, 'nope', 'clientkey.pem') };
    const err = await openTlsTransport({ host: '127.0.0.1', port, files: missing }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({
      reason: 'config',
      message: `Cannot read client private key '${missing.key}': No such file or directory`,
    });
  });

  it('refuses a server certificate from another CA unless no_verify', async () => {
    verdict = [1];
    const otherCa = join(dir, 'other');
    mkdirSync(otherCa);
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(otherCa, 'k'),
      '-out',
      join(otherCa, 'cacert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=Other',
    );
    const wrongCa = { ...files(), ca: join(otherCa, 'cacert.pem') };
    await expect(
      openTlsTransport({ host: '127.0.0.1', port, files: wrongCa }),
    ).rejects.toMatchObject({
      reason: 'connect',
    });
    const t = await openTlsTransport({ host: '127.0.0.1', port, files: wrongCa, noVerify: true });
    t.close();
  });
});
