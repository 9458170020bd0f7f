import { describe, expect, it } from 'vitest';
import { parseIpv4, parseIpv6, subnetOf } from '../../../shared/contract/network-addresses';
import { networkDefineSchema } from '../../../shared/contract/networks';
import { sizeSchema, sizeToBytes, volumeCreateSchema } from '../../../shared/contract/storage';

const connectionId = '2f1c1f0e-8a51-4d0c-9a4e-0d3b6a0c1e11';

describe('sizes with explicit units', () => {
  it('converts binary units to bytes', () => {
    expect(sizeToBytes({ value: 20, unit: 'GiB' })).toBe(20 * 1024 ** 3);
    expect(sizeToBytes({ value: 1.5, unit: 'MiB' })).toBe(1572864);
    expect(sizeToBytes({ value: 1, unit: 'TiB' })).toBe(1024 ** 4);
  });

  it('refuses unitless, zero, negative and unknown-unit sizes', () => {
    expect(sizeSchema.safeParse(20).success).toBe(false);
    expect(sizeSchema.safeParse({ value: 0, unit: 'GiB' }).success).toBe(false);
    expect(sizeSchema.safeParse({ value: -1, unit: 'GiB' }).success).toBe(false);
    expect(sizeSchema.safeParse({ value: 1, unit: 'GB' }).success).toBe(false);
    expect(sizeSchema.safeParse({ value: 1e9, unit: 'TiB' }).success).toBe(false);
  });

  it('refuses volume names libvirt would refuse or that escape the pool', () => {
    const base = { connectionId, pool: 'p', format: 'raw', capacity: { value: 1, unit: 'MiB' } };
    expect(volumeCreateSchema.safeParse({ ...base, name: 'ok-1.raw' }).success).toBe(true);
    for (const name of ['', '../x', 'a/b', '.hidden', '-x']) {
      expect(volumeCreateSchema.safeParse({ ...base, name }).success).toBe(false);
    }
  });
});

describe('address arithmetic', () => {
  it('parses IPv4 and IPv6 and refuses malformed text', () => {
    expect(parseIpv4('192.168.1.1')).toBe(0xc0a80101n);
    for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', 'a.b.c.d']) {
      expect(parseIpv4(bad)).toBeUndefined();
    }
    expect(parseIpv6('::1')).toBe(1n);
    expect(parseIpv6('fd00::1:2')).toBe((0xfd00n << 112n) + (1n << 16n) + 2n);
    for (const bad of ['1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3']) {
      expect(parseIpv6(bad)).toBeUndefined();
    }
  });

  it('finds the subnet of an address', () => {
    const a = parseIpv4('10.1.2.3') ?? 0n;
    expect(subnetOf('ipv4', a, 24)).toEqual({ first: 0x0a010200n, last: 0x0a0102ffn });
  });
});

describe('network definitions', () => {
  const nat = (ipv4: object) =>
    networkDefineSchema.safeParse({ connectionId, name: 'n1', mode: 'nat', ipv4 });
  const messages = (r: ReturnType<typeof nat>): string[] =>
    r.success ? [] : r.error.issues.map((i) => i.message);

  it('accepts a NAT network with a DHCP range and a static host', () => {
    const r = nat({
      address: '192.168.5.1',
      prefix: 24,
      dhcp: { start: '192.168.5.2', end: '192.168.5.254' },
      hosts: [{ mac: '52:54:00:00:00:01', ip: '192.168.5.10' }],
    });
    expect(r.success).toBe(true);
  });

  it('refuses ranges outside the network, reversed, or over the host address', () => {
    expect(
      messages(
        nat({
          address: '192.168.5.1',
          prefix: 24,
          dhcp: { start: '192.168.6.2', end: '192.168.5.9' },
        }),
      ),
    ).toContain('192.168.6.2 is outside the network 192.168.5.1/24');
    expect(
      messages(
        nat({
          address: '192.168.5.1',
          prefix: 24,
          dhcp: { start: '192.168.5.9', end: '192.168.5.2' },
        }),
      ),
    ).toContain('The DHCP range starts after it ends');
    expect(
      messages(
        nat({
          address: '192.168.5.50',
          prefix: 24,
          dhcp: { start: '192.168.5.2', end: '192.168.5.99' },
        }),
      ),
    ).toContain("The DHCP range includes the network's own address 192.168.5.50");
    expect(messages(nat({ address: '192.168.5.0', prefix: 24 }))[0]).toMatch(
      /network or broadcast/,
    );
  });

  it('refuses duplicate MACs and hosts outside the network', () => {
    const r = nat({
      address: '10.0.0.1',
      prefix: 24,
      hosts: [
        { mac: '52:54:00:00:00:01', ip: '10.0.0.5' },
        { mac: '52:54:00:00:00:01', ip: '10.0.1.5' },
      ],
    });
    expect(messages(r)).toEqual([
      '10.0.1.5 is outside the network 10.0.0.1/24',
      'MAC 52:54:00:00:00:01 appears twice',
    ]);
  });
});
