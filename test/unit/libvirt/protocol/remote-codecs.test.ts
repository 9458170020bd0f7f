import { describe, expect, it } from 'vitest';
import {
  REMOTE_AUTH_TYPE_LIST_MAX,
  REMOTE_CPUMAP_MAX,
  REMOTE_SECURITY_LABEL_MAX,
  REMOTE_STRING_MAX,
  remoteAuthListRetCodec,
  remoteConnectGetAllDomainStatsRetCodec,
  remoteConnectOpenArgsCodec,
  remoteDomainGetInfoRetCodec,
  remoteDomainGetSecurityLabelRetCodec,
  remoteDomainLookupByNameRetCodec,
  remoteDomainPinVcpuArgsCodec,
  remoteErrorCodec,
  remoteNodeGetInfoRetCodec,
  remoteNonnullDomainCodec,
  remoteTypedParamCodec,
  remoteTypedParamValueCodec,
  remoteUuidCodec,
  remoteEvents,
  type RemoteNodeGetInfoRet,
  type RemoteTypedParam,
  type RemoteTypedParamValue,
} from '../../../../electron/libvirt/protocol/remote.gen';
import { XdrError } from '../../../../electron/libvirt/xdr';
import { capturedPayloads } from './captured-payloads';
import { decode, encode, fromHex, toHex } from './codec-helpers';

const UUID = fromHex('6695eb01f6a4830479aa97f2502e193f');

function chars(s: string, length: number): number[] {
  const out = [...Buffer.from(s, 'latin1')].map((b) => b);
  while (out.length < length) out.push(0);
  return out;
}

describe('golden bytes from the real daemon (libvirt 9.0.0, test:///default)', () => {
  it('NODE_GET_INFO ret is 160 bytes: char model[32] takes 4 bytes per char', () => {
    const bytes = fromHex(capturedPayloads.nodeGetInfoRet);
    expect(bytes.byteLength).toBe(160);
    const info = decode(remoteNodeGetInfoRetCodec, bytes);
    expect(info).toEqual({
      model: chars('i686', 32),
      memory: 3145728n,
      cpus: 16,
      mhz: 1400,
      nodes: 2,
      sockets: 2,
      cores: 2,
      threads: 2,
    });
    expect(toHex(encode(remoteNodeGetInfoRetCodec, info))).toBe(capturedPayloads.nodeGetInfoRet);
  });

  it('decodes and re-encodes AUTH_LIST, DOMAIN_LOOKUP_BY_NAME and DOMAIN_GET_INFO exactly', () => {
    const auth = decode(remoteAuthListRetCodec, capturedPayloads.authListRet);
    expect(auth).toEqual({ types: [0] });
    const lookup = decode(remoteDomainLookupByNameRetCodec, capturedPayloads.domainLookupByNameRet);
    expect(lookup).toEqual({ dom: { name: 'test', uuid: UUID, id: 1 } });
    const info = decode(remoteDomainGetInfoRetCodec, capturedPayloads.domainGetInfoRet);
    expect(info).toEqual({
      state: 1,
      maxMem: 8388608n,
      memory: 2097152n,
      nrVirtCpu: 2,
      cpuTime: 1795482578040433000n,
    });
    expect(toHex(encode(remoteAuthListRetCodec, auth))).toBe(capturedPayloads.authListRet);
    expect(toHex(encode(remoteDomainLookupByNameRetCodec, lookup))).toBe(
      capturedPayloads.domainLookupByNameRet,
    );
    expect(toHex(encode(remoteDomainGetInfoRetCodec, info))).toBe(
      capturedPayloads.domainGetInfoRet,
    );
  });

  it('decodes CONNECT_GET_ALL_DOMAIN_STATS records with typed params', () => {
    const stats = decode(
      remoteConnectGetAllDomainStatsRetCodec,
      capturedPayloads.connectGetAllDomainStatsRet,
    );
    expect(stats).toEqual({
      retStats: [
        {
          dom: { name: 'test', uuid: UUID, id: 1 },
          params: [
            { field: 'state.state', value: { type: 1, i: 1 } },
            { field: 'state.reason', value: { type: 1, i: 0 } },
          ],
        },
      ],
    });
    expect(toHex(encode(remoteConnectGetAllDomainStatsRetCodec, stats))).toBe(
      capturedPayloads.connectGetAllDomainStatsRet,
    );
  });

  it('decodes a security label as 4-byte chars', () => {
    const label = decode(
      remoteDomainGetSecurityLabelRetCodec,
      capturedPayloads.domainGetSecurityLabelRet,
    );
    expect(Buffer.from(label.label).toString('latin1')).toBe('libvirt-test\0');
    expect(label.enforcing).toBe(1);
  });

  it('decodes remote_error with its optional strings and domain', () => {
    expect(decode(remoteErrorCodec, capturedPayloads.errorNoDomain)).toEqual({
      code: 42,
      domain: 12,
      message: 'Domain not found',
      level: 2,
      dom: null,
      str1: 'Domain not found',
      str2: null,
      str3: null,
      int1: -1,
      int2: -1,
      net: null,
    });
    const e = decode(remoteErrorCodec, capturedPayloads.errorUnsupportedFlags);
    expect(e).toMatchObject({
      code: 8,
      str1: 'testDomainGetSchedulerParametersFlags',
      str2: 'flags',
      str3: null,
    });
    expect(toHex(encode(remoteErrorCodec, e))).toBe(capturedPayloads.errorUnsupportedFlags);
  });

  it('decodes the verified lifecycle event payload from libvirt-rpc.md 1.10', () => {
    const payload = fromHex(
      '0000001c 00000004 74696e79 00112233445566778899aabbccddeeff 00000001 00000003 00000000',
    );
    const msg = decode(remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE.msg, payload);
    expect(msg).toEqual({
      callbackID: 28,
      msg: {
        dom: { name: 'tiny', uuid: fromHex('00112233445566778899aabbccddeeff'), id: 1 },
        event: 3,
        detail: 0,
      },
    });
  });
});

describe('hand-computed golden bytes', () => {
  it('encodes remote_nonnull_domain as string, raw 16-byte uuid, int', () => {
    expect(toHex(encode(remoteNonnullDomainCodec, { name: 'tiny', uuid: UUID, id: -1 }))).toBe(
      '00000004' + '74696e79' + '6695eb01f6a4830479aa97f2502e193f' + 'ffffffff',
    );
    // 5 bytes of name → 3 bytes of zero padding
    expect(toHex(encode(remoteNonnullDomainCodec, { name: 'abcde', uuid: UUID, id: 7 }))).toBe(
      '00000005' + '6162636465000000' + '6695eb01f6a4830479aa97f2502e193f' + '00000007',
    );
  });

  const arms: [RemoteTypedParamValue, string][] = [
    [{ type: 1, i: -1 }, '00000001 ffffffff'],
    [{ type: 2, ui: 4294967294 }, '00000002 fffffffe'],
    [{ type: 3, l: -2n }, '00000003 ffffffff fffffffe'],
    [{ type: 4, ul: 2n ** 63n }, '00000004 80000000 00000000'],
    [{ type: 5, d: 1.5 }, '00000005 3ff80000 00000000'],
    [{ type: 6, b: 1 }, '00000006 00000001'],
    [{ type: 7, s: 'abc' }, '00000007 00000003 61626300'],
  ];
  it.each(arms.map(([v, h]) => [v.type, v, h] as const))(
    'typed param union arm type=%i',
    (_type, value, hex) => {
      const param: RemoteTypedParam = { field: 'a', value };
      const bytes = encode(remoteTypedParamCodec, param);
      expect(toHex(bytes)).toBe(('00000001 61000000 ' + hex).replace(/ /g, ''));
      expect(decode(remoteTypedParamCodec, bytes)).toEqual(param);
    },
  );

  it('refuses an unknown typed-param discriminant on decode and encode', () => {
    expect(() => decode(remoteTypedParamValueCodec, '00000008 00000000')).toThrow(XdrError);
    expect(() => decode(remoteTypedParamValueCodec, '00000000 00000000')).toThrow(/unknown type 0/);
    const bad = { type: 9, i: 1 } as unknown as RemoteTypedParamValue;
    expect(() => encode(remoteTypedParamValueCodec, bad)).toThrow(
      /remote_typed_param_value: unknown type 9/,
    );
  });

  it('encodes optional strings as a 0/1 discriminant plus the string', () => {
    expect(toHex(encode(remoteConnectOpenArgsCodec, { name: null, flags: 0 }))).toBe(
      '0000000000000000',
    );
    const uri = encode(remoteConnectOpenArgsCodec, { name: 'qemu:///system', flags: 1 });
    expect(toHex(uri)).toBe(
      '00000001' + '0000000e' + Buffer.from('qemu:///system').toString('hex') + '0000' + '00000001',
    );
    expect(decode(remoteConnectOpenArgsCodec, uri)).toEqual({ name: 'qemu:///system', flags: 1 });
    expect(decode(remoteConnectOpenArgsCodec, '00000000 00000005')).toEqual({
      name: null,
      flags: 5,
    });
    expect(() => decode(remoteConnectOpenArgsCodec, '00000002 00000000')).toThrow(
      /invalid XDR bool 2/,
    );
  });

  it('round-trips UTF-8 strings with their byte length, not char count', () => {
    const bytes = encode(remoteConnectOpenArgsCodec, { name: 'ä', flags: 0 });
    expect(toHex(bytes)).toBe('00000001' + '00000002' + 'c3a40000' + '00000000');
  });
});

describe('bounds are enforced on encode and decode', () => {
  it('arrays', () => {
    const tooMany = Array.from({ length: REMOTE_AUTH_TYPE_LIST_MAX + 1 }, () => 0);
    expect(() => encode(remoteAuthListRetCodec, { types: tooMany })).toThrow(XdrError);
    expect(() => encode(remoteAuthListRetCodec, { types: tooMany })).toThrow(
      /21 elements exceed the limit of 20/,
    );
    const wire = '00000015' + '00000000'.repeat(21);
    expect(() => decode(remoteAuthListRetCodec, wire)).toThrow(
      /21 elements exceed the limit of 20/,
    );
    const max = Array.from({ length: REMOTE_AUTH_TYPE_LIST_MAX }, () => 2);
    expect(decode(remoteAuthListRetCodec, encode(remoteAuthListRetCodec, { types: max }))).toEqual({
      types: max,
    });
  });

  it('char arrays (variable and fixed)', () => {
    const label = Array.from({ length: REMOTE_SECURITY_LABEL_MAX + 1 }, () => 65);
    expect(() => encode(remoteDomainGetSecurityLabelRetCodec, { label, enforcing: 0 })).toThrow(
      XdrError,
    );
    const info: RemoteNodeGetInfoRet = {
      model: chars('x86_64', 31),
      memory: 1n,
      cpus: 1,
      mhz: 1,
      nodes: 1,
      sockets: 1,
      cores: 1,
      threads: 1,
    };
    expect(() => encode(remoteNodeGetInfoRetCodec, info)).toThrow(
      /model: needs 32 elements, got 31/,
    );
    expect(() => encode(remoteNodeGetInfoRetCodec, { ...info, model: chars('x', 33) })).toThrow(
      XdrError,
    );
    expect(() =>
      encode(remoteNodeGetInfoRetCodec, { ...info, model: [256, ...chars('', 31)] }),
    ).toThrow(/char out of range: 256/);
  });

  it('strings', () => {
    const long = 'a'.repeat(REMOTE_STRING_MAX + 1);
    expect(() => encode(remoteConnectOpenArgsCodec, { name: long, flags: 0 })).toThrow(
      /exceeds the limit of 4194304/,
    );
    // A length word over the bound fails before any allocation or read of the body.
    expect(() => decode(remoteConnectOpenArgsCodec, '00000001 00400001')).toThrow(
      /exceeds the limit of 4194304/,
    );
    expect(() => decode(remoteConnectOpenArgsCodec, '00000001 00000010 6161')).toThrow(/truncated/);
  });

  it('opaque data', () => {
    const dom = { name: 'x', uuid: UUID, id: 1 };
    expect(() => encode(remoteUuidCodec, UUID.subarray(0, 15))).toThrow(
      /opaque\[16\] given 15 bytes/,
    );
    const cpumap = new Uint8Array(REMOTE_CPUMAP_MAX + 1);
    expect(() => encode(remoteDomainPinVcpuArgsCodec, { dom, vcpu: 0, cpumap })).toThrow(XdrError);
    const ok = { dom, vcpu: 3, cpumap: new Uint8Array([1, 2, 3]) };
    expect(decode(remoteDomainPinVcpuArgsCodec, encode(remoteDomainPinVcpuArgsCodec, ok))).toEqual(
      ok,
    );
  });

  it('integers of every width', () => {
    const info = { state: 1, maxMem: 1n, memory: 1n, nrVirtCpu: 1, cpuTime: 1n };
    expect(() => encode(remoteDomainGetInfoRetCodec, { ...info, state: 256 })).toThrow(
      /unsigned char out of range/,
    );
    expect(() => encode(remoteDomainGetInfoRetCodec, { ...info, state: -1 })).toThrow(XdrError);
    expect(() => encode(remoteDomainGetInfoRetCodec, { ...info, nrVirtCpu: 65536 })).toThrow(
      /unsigned short/,
    );
    expect(() => encode(remoteDomainGetInfoRetCodec, { ...info, maxMem: -1n })).toThrow(
      /unsigned hyper/,
    );
    expect(() => encode(remoteDomainGetInfoRetCodec, { ...info, cpuTime: 2n ** 64n })).toThrow(
      XdrError,
    );
    expect(() => encode(remoteConnectOpenArgsCodec, { name: null, flags: -1 })).toThrow(
      /unsigned int out of range/,
    );
    expect(() => encode(remoteConnectOpenArgsCodec, { name: null, flags: 1.5 })).toThrow(XdrError);
    expect(() => encode(remoteNonnullDomainCodec, { name: 'x', uuid: UUID, id: 2 ** 31 })).toThrow(
      /int out of range/,
    );
    expect(() => encode(remoteTypedParamValueCodec, { type: 3, l: 2n ** 63n })).toThrow(
      /hyper out of range/,
    );
    // A daemon sending a state byte above 255 is refused rather than truncated.
    expect(() => decode(remoteDomainGetInfoRetCodec, '00000100' + '00'.repeat(28))).toThrow(
      /unsigned char/,
    );
  });
});
