import { describe, expect, it } from 'vitest';
import { lxcDomainOpenNamespaceArgsCodec } from '../../../../electron/libvirt/protocol/lxc.gen';
import {
  qemuEvents,
  qemuDomainAgentCommandRetCodec,
} from '../../../../electron/libvirt/protocol/qemu.gen';
import {
  VIR_NET_MESSAGE_HEADER_MAX,
  VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX,
  VIR_NET_MESSAGE_MAX,
  VIR_NET_MESSAGE_NUM_FDS_MAX,
  VIR_NET_MESSAGE_PAYLOAD_MAX,
  VIR_NET_MESSAGE_STRING_MAX,
  VirNetMessageStatus,
  VirNetMessageType,
  virNetMessageErrorCodec,
  virNetMessageHeaderCodec,
  virNetStreamHoleCodec,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import { capturedPayloads } from './captured-payloads';
import { decode, encode, fromHex, toHex } from './codec-helpers';

describe('virnet', () => {
  it('exports the size limits and message enums', () => {
    expect(VIR_NET_MESSAGE_MAX).toBe(33554432);
    expect(VIR_NET_MESSAGE_HEADER_MAX).toBe(24);
    expect(VIR_NET_MESSAGE_PAYLOAD_MAX).toBe(33554408);
    expect(VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX).toBe(262120);
    expect(VIR_NET_MESSAGE_STRING_MAX).toBe(4194304);
    expect(VIR_NET_MESSAGE_NUM_FDS_MAX).toBe(32);
    expect(VirNetMessageType).toEqual({
      VIR_NET_CALL: 0,
      VIR_NET_REPLY: 1,
      VIR_NET_MESSAGE: 2,
      VIR_NET_STREAM: 3,
      VIR_NET_CALL_WITH_FDS: 4,
      VIR_NET_REPLY_WITH_FDS: 5,
      VIR_NET_STREAM_HOLE: 6,
    });
    expect(VirNetMessageStatus).toEqual({ VIR_NET_OK: 0, VIR_NET_ERROR: 1, VIR_NET_CONTINUE: 2 });
  });

  it('encodes the 24-byte header in wire order', () => {
    const header = { prog: 0x6b656570, vers: 1, proc: 1, type: 2, serial: 0, status: 0 };
    const bytes = encode(virNetMessageHeaderCodec, header);
    expect(toHex(bytes)).toBe(
      '6b656570' + '00000001' + '00000001' + '00000002' + '00000000' + '00000000',
    );
    expect(bytes.byteLength).toBe(VIR_NET_MESSAGE_HEADER_MAX);
    expect(decode(virNetMessageHeaderCodec, bytes)).toEqual(header);
    const big = { ...header, prog: 0x20008086, serial: 0xffffffff };
    expect(decode(virNetMessageHeaderCodec, encode(virNetMessageHeaderCodec, big))).toEqual(big);
  });

  it('decodes the daemon error with the virnet codec too', () => {
    expect(decode(virNetMessageErrorCodec, capturedPayloads.errorNoDomain)).toMatchObject({
      code: 42,
      domain: 12,
      message: 'Domain not found',
      level: 2,
    });
  });

  it('round-trips a stream hole with a 64-bit length', () => {
    const hole = { length: 2n ** 40n + 5n, flags: 0 };
    expect(toHex(encode(virNetStreamHoleCodec, hole))).toBe('0000010000000005' + '00000000');
    expect(decode(virNetStreamHoleCodec, encode(virNetStreamHoleCodec, hole))).toEqual(hole);
  });
});

describe('qemu and lxc codecs reuse remote types', () => {
  it('round-trips the monitor event with optional details', () => {
    const dom = { name: 'vm', uuid: fromHex('00'.repeat(16)), id: 3 };
    const msg = { callbackID: 5, dom, event: 'STOP', seconds: -1n, micros: 999999, details: null };
    const codec = qemuEvents.DOMAIN_MONITOR_EVENT.msg;
    expect(decode(codec, encode(codec, msg))).toEqual(msg);
    const withDetails = { ...msg, details: '{"reason":"x"}' };
    expect(decode(codec, encode(codec, withDetails))).toEqual(withDetails);
  });

  it('decodes an optional agent reply', () => {
    expect(decode(qemuDomainAgentCommandRetCodec, '00000000')).toEqual({ result: null });
    expect(decode(qemuDomainAgentCommandRetCodec, '00000001 00000002 7b7d0000')).toEqual({
      result: '{}',
    });
  });

  it('encodes lxc args with the remote domain codec', () => {
    const dom = { name: 'c', uuid: fromHex('ff'.repeat(16)), id: -1 };
    expect(toHex(encode(lxcDomainOpenNamespaceArgsCodec, { dom, flags: 0 }))).toBe(
      '00000001' + '63000000' + 'ff'.repeat(16) + 'ffffffff' + '00000000',
    );
  });
});
