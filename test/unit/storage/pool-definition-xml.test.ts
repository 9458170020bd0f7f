import { describe, expect, it } from 'vitest';
import { poolDefineSchema, poolDefinitionXml } from '../../../shared/contract/storage';

const id = '5b0c9f5e-3f5a-4a8e-9d55-2c7c1f3b4a10';
const xmlOf = (input: unknown): string => poolDefinitionXml(poolDefineSchema.parse(input));

describe('pool definitions per type', () => {
  it('escapes names and paths in a directory pool', () => {
    expect(xmlOf({ connectionId: id, name: 'a+b', type: 'dir', targetPath: "/srv/it's" })).toBe(
      [
        "<pool type='dir'>",
        '  <name>a+b</name>',
        '  <target>',
        '    <path>/srv/it&apos;s</path>',
        '  </target>',
        '</pool>',
      ].join('\n'),
    );
  });

  it('names the CHAP secret by usage and never the password', () => {
    const xml = xmlOf({
      connectionId: id,
      name: 'san',
      type: 'iscsi',
      host: '192.0.2.1',
      target: 'iqn.2024-01.lan.example:t',
      chap: { username: 'u', password: 'p<w>' },
    });
    expect(xml).toContain("<host name='192.0.2.1' port='3260'/>");
    expect(xml).toContain("<secret usage='virtdeck-chap-san'/>");
    expect(xml).not.toContain('p<w>');
    expect(xml).not.toContain('p&lt;w&gt;');
  });

  it('builds LVM on /dev/<vg> and a vHBA adapter without 0x', () => {
    expect(
      xmlOf({ connectionId: id, name: 'vg0', type: 'logical', devices: ['/dev/sdc'] }),
    ).toContain('<path>/dev/vg0</path>');
    expect(
      xmlOf({
        connectionId: id,
        name: 'fc',
        type: 'scsi',
        adapter: { kind: 'fc_host', wwnn: '0x20000000c9831b4b', wwpn: '10000000c9831b4b' },
      }),
    ).toContain("<adapter type='fc_host' wwnn='20000000c9831b4b' wwpn='10000000c9831b4b'/>");
  });

  it('refuses a wiping build without confirmation, odd devices and IQNs', () => {
    const base = { connectionId: id, name: 'd' };
    expect(
      poolDefineSchema.safeParse({ ...base, type: 'disk', sourceDevice: '/dev/sdb', build: true })
        .success,
    ).toBe(false);
    expect(
      poolDefineSchema.safeParse({
        ...base,
        type: 'disk',
        sourceDevice: '/dev/sdb',
        build: true,
        wipeConfirmed: true,
      }).success,
    ).toBe(true);
    expect(
      poolDefineSchema.safeParse({ ...base, type: 'fs', sourceDevice: '/tmp/x', targetPath: '/m' })
        .success,
    ).toBe(false);
    expect(
      poolDefineSchema.safeParse({ ...base, type: 'iscsi', host: 'h', target: 'bogus' }).success,
    ).toBe(false);
    expect(
      poolDefineSchema.safeParse({ ...base, type: 'logical', build: true, wipeConfirmed: true })
        .success,
    ).toBe(false);
  });
});
