import { describe, expect, it } from 'vitest';
import { InvalidUriError } from '../../../../electron/libvirt/errors';
import {
  clientFlag,
  driverUri,
  parseLibvirtUri,
} from '../../../../electron/libvirt/uri/libvirt-uri';

describe('parseLibvirtUri: accepted URIs', () => {
  it.each([
    // uri, driver, transport, user, host, port, path, driver URI
    ['qemu:///system', 'qemu', 'unix', null, null, null, '/system', 'qemu:///system'],
    ['qemu:///session', 'qemu', 'unix', null, null, null, '/session', 'qemu:///session'],
    ['test:///default', 'test', 'unix', null, null, null, '/default', 'test:///default'],
    ['lxc:///system', 'lxc', 'unix', null, null, null, '/system', 'lxc:///system'],
    ['qemu+unix:///system', 'qemu', 'unix', null, null, null, '/system', 'qemu:///system'],
    [
      'qemu://host.example/system',
      'qemu',
      'tls',
      null,
      'host.example',
      null,
      '/system',
      'qemu:///system',
    ],
    [
      'qemu+tls://host:16515/system',
      'qemu',
      'tls',
      null,
      'host',
      16515,
      '/system',
      'qemu:///system',
    ],
    [
      'qemu+tcp://10.0.0.5/system',
      'qemu',
      'tcp',
      null,
      '10.0.0.5',
      null,
      '/system',
      'qemu:///system',
    ],
    ['qemu+tls:///system', 'qemu', 'tls', null, null, null, '/system', 'qemu:///system'],
    [
      'qemu+ssh://root@hail.example/system',
      'qemu',
      'ssh',
      'root',
      'hail.example',
      null,
      '/system',
      'qemu:///system',
    ],
    [
      'qemu+ssh://me@[::1]:2222/session',
      'qemu',
      'ssh',
      'me',
      '::1',
      2222,
      '/session',
      'qemu:///session',
    ],
    ['qemu+libssh2://u@h/system', 'qemu', 'libssh2', 'u', 'h', null, '/system', 'qemu:///system'],
    ['qemu+libssh://u@h/system', 'qemu', 'libssh', 'u', 'h', null, '/system', 'qemu:///system'],
    ['qemu+SSH://h/system', 'qemu', 'ssh', null, 'h', null, '/system', 'qemu:///system'],
    [
      'qemu+ext:///system?command=/bin/x',
      'qemu',
      'ext',
      null,
      null,
      null,
      '/system',
      'qemu:///system',
    ],
    ['test+ssh://a%40b@h/default', 'test', 'ssh', 'a@b', 'h', null, '/default', 'test:///default'],
    ['remote+ssh://h/', 'remote', 'ssh', null, 'h', null, '/', ''],
    ['vbox:///session', 'vbox', 'unix', null, null, null, '/session', 'vbox:///session'],
  ])('%s', (text, driver, transport, user, host, port, path, expectedDriverUri) => {
    const uri = parseLibvirtUri(text);
    expect(uri).toMatchObject({ text, driver, transport, user, host, port, path });
    expect(driverUri(uri)).toBe(expectedDriverUri);
  });

  it('separates client-only parameters from those passed to the daemon', () => {
    const uri = parseLibvirtUri(
      'qemu+ssh://root@h:22/system?keyfile=/root/.ssh/k&foo=bar%20baz&Socket=/run/x&no_verify=1&x=a%2Bb&flag',
    );
    expect(uri.client).toEqual({ keyfile: '/root/.ssh/k', socket: '/run/x', no_verify: '1' });
    expect(uri.driverParams).toEqual([
      { name: 'foo', value: 'bar baz' },
      { name: 'x', value: 'a+b' },
      { name: 'flag', value: '' },
    ]);
    expect(driverUri(uri)).toBe('qemu:///system?foo=bar%20baz&x=a%2Bb&flag=');
    expect(clientFlag(uri, 'no_verify')).toBe(true);
    expect(clientFlag(uri, 'no_tty')).toBe(false);
  });

  it('knows every client-only parameter of the remote driver', () => {
    const names = [
      'name',
      'command',
      'socket',
      'auth',
      'sshauth',
      'netcat',
      'keyfile',
      'pkipath',
      'known_hosts',
      'known_hosts_verify',
      'tls_priority',
      'mode',
      'proxy',
      'no_sanity',
      'no_verify',
      'no_tty',
      'authfile',
    ];
    const values: Record<string, string> = {
      mode: 'legacy',
      proxy: 'netcat',
      no_sanity: '0',
      no_verify: '0',
      no_tty: '1',
    };
    const query = names.map((n) => `${n}=${values[n] ?? 'v'}`).join('&');
    const uri = parseLibvirtUri(`qemu+ssh://h/system?${query}&keep=1`);
    expect(Object.keys(uri.client).sort()).toEqual([...names].sort());
    expect(uri.driverParams).toEqual([{ name: 'keep', value: '1' }]);
  });

  it('lets ?name= override the driver URI', () => {
    expect(driverUri(parseLibvirtUri('qemu+ssh://h/system?name=qemu:///session'))).toBe(
      'qemu:///session',
    );
    expect(driverUri(parseLibvirtUri('test+unix:///default?socket=/tmp/s&name='))).toBe('');
  });

  it('follows libvirt query splitting: ";" only where no "&" follows, "=v" ignored, last wins', () => {
    const uri = parseLibvirtUri('qemu:///system?a=1;b=2&c=3;d=4&&=skip&socket=/a&socket=/b');
    expect(uri.driverParams).toEqual([
      { name: 'a', value: '1;b=2' },
      { name: 'c', value: '3;d=4' },
    ]);
    expect(uri.client.socket).toBe('/b');
    expect(parseLibvirtUri('qemu:///system?a=1;b=2').driverParams).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ]);
  });

  it('keeps the fragment and escapes what needs escaping in the driver URI', () => {
    expect(driverUri(parseLibvirtUri('test:///path%20with%20space#frag'))).toBe(
      'test:///path%20with%20space#frag',
    );
  });

  it('treats an empty host as no host', () => {
    expect(parseLibvirtUri('qemu://:16509/system')).toMatchObject({
      host: null,
      port: null,
      transport: 'unix',
    });
  });
});

describe('parseLibvirtUri: rejected URIs', () => {
  it.each([
    ['qemu', /URI 'qemu' does not include a driver name/],
    ['/var/run/libvirt/libvirt-sock', /does not include a driver name/],
    ['', /does not include a driver name/],
    ['qemu://system', /invalid URI qemu:\/\/system \(maybe you want qemu:\/\/\/system\)/],
    ['qemu://session', /maybe you want qemu:\/\/\/session/],
    ['vz://system', /maybe you want vz:\/\/\/system/],
    ['qemu+unix://host/system', /using unix socket and remote server 'host' is not supported\./],
    [
      'qemu+foo:///system',
      /transport 'foo' in URI qemu\+foo:\/\/\/system not recognised \(should be tls\|unix\|ssh\|ext\|tcp\|libssh2\|libssh\)/,
    ],
    ['qemu+ssh://h:99999/system', /invalid port '99999'/],
    ['qemu+ssh://h:22x/system', /invalid port '22x'/],
    ['qemu+ssh://[::1/system', /unclosed '\['/],
    ['qemu:///sys tem', /Unable to parse URI/],
    ['qemu:///system\n', /Unable to parse URI/],
    ['qemu:///%zz', /bad %-escape in the path/],
    ['qemu:///system?no_verify=yes', /Failed to parse value of URI component no_verify/],
    ['qemu:///system?no_tty=', /Failed to parse value of URI component no_tty/],
    ['qemu:///system?mode=fast', /Unknown remote mode 'fast'/],
    ['qemu+ssh://h/system?proxy=socks', /Unknown proxy type 'socks'/],
  ])('%j', (text, message) => {
    let err: unknown;
    try {
      parseLibvirtUri(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidUriError);
    expect((err as Error).message).toMatch(message);
    expect((err as InvalidUriError).uri).toBe(text);
  });

  it('does not apply the missing-slash hint to other drivers or transports', () => {
    expect(parseLibvirtUri('test://system').host).toBe('system');
    expect(parseLibvirtUri('qemu+ssh://system/system').host).toBe('system');
  });
});
