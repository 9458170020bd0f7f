import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../electron/libvirt/errors';
import {
  VIR_NET_MESSAGE_MAX,
  VirNetMessageStatus,
  VirNetMessageType,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import { REMOTE_PROGRAM } from '../../../../electron/libvirt/protocol/remote.gen';
import {
  PACKET_MAX_LENGTH,
  PACKET_MIN_LENGTH,
  decodePacket,
  encodePacket,
  type PacketHeader,
} from '../../../../electron/libvirt/rpc/packet';
import { PacketFramer } from '../../../../electron/libvirt/rpc/packet-framer';

const header = (serial: number): PacketHeader => ({
  prog: REMOTE_PROGRAM,
  vers: 1,
  proc: 66,
  type: VirNetMessageType.VIR_NET_CALL,
  serial,
  status: VirNetMessageStatus.VIR_NET_OK,
});

function packets(): Buffer[] {
  return [
    encodePacket(header(1)),
    encodePacket(header(2), new Uint8Array([1, 2, 3, 4])),
    encodePacket(header(3), Buffer.alloc(1000, 7)),
  ];
}

function feed(framer: PacketFramer, chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const c of chunks) framer.push(c, (f) => out.push(Buffer.from(f)));
  return out;
}

describe('packet header codec', () => {
  it('encodes the length word, the six header fields and the payload, big-endian', () => {
    const buf = encodePacket(
      { prog: 0x20008086, vers: 1, proc: 110, type: 1, serial: 0xfffffffe, status: 1 },
      new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]),
    );
    expect(buf.toString('hex')).toBe(
      '00000020' +
        '20008086' +
        '00000001' +
        '0000006e' +
        '00000001' +
        'fffffffe' +
        '00000001' +
        'aabbccdd',
    );
    const p = decodePacket(buf);
    expect(p.header).toEqual({
      prog: 0x20008086,
      vers: 1,
      proc: 110,
      type: 1,
      serial: 0xfffffffe,
      status: 1,
    });
    expect([...p.payload]).toEqual([0xaa, 0xbb, 0xcc, 0xdd]);
  });

  it('refuses to build a packet larger than the protocol allows', () => {
    expect(() => encodePacket(header(1), new Uint8Array(VIR_NET_MESSAGE_MAX))).toThrow(
      ProtocolError,
    );
  });
});

describe('PacketFramer', () => {
  it('splits packets joined in one chunk', () => {
    const all = packets();
    const out = feed(new PacketFramer(), [Buffer.concat(all)]);
    expect(out).toEqual(all);
  });

  it('reassembles packets cut at every possible byte boundary', () => {
    const all = Buffer.concat(packets());
    const badCuts: number[] = [];
    for (let cut = 1; cut < all.length; cut++) {
      const out = feed(new PacketFramer(), [all.subarray(0, cut), all.subarray(cut)]);
      const serials = out.map((b) => decodePacket(b).header.serial).join(',');
      if (serials !== '1,2,3' || !Buffer.concat(out).equals(all)) badCuts.push(cut);
    }
    expect(badCuts).toEqual([]);
  });

  it('reassembles packets delivered one byte at a time', () => {
    const all = Buffer.concat(packets());
    const framer = new PacketFramer();
    const chunks = [...all].map((b) => Buffer.from([b]));
    expect(Buffer.concat(feed(framer, chunks))).toEqual(all);
    expect(framer.pendingBytes).toBe(0);
  });

  it('reports a cut-off packet through pendingBytes', () => {
    const framer = new PacketFramer();
    const p = encodePacket(header(9), Buffer.alloc(100));
    expect(feed(framer, [p.subarray(0, 2)])).toEqual([]);
    expect(framer.pendingBytes).toBe(2);
    expect(feed(framer, [p.subarray(2, 50)])).toEqual([]);
    expect(framer.pendingBytes).toBe(50);
  });

  it.each([
    ['zero', 0],
    ['shorter than a header', PACKET_MIN_LENGTH - 1],
    ['one byte above the 32 MiB limit', PACKET_MAX_LENGTH + 1],
    ['0xffffffff', 0xffffffff],
  ])('rejects a length word of %s before allocating, and stays failed', (_name, length) => {
    const framer = new PacketFramer();
    const word = Buffer.alloc(4);
    word.writeUInt32BE(length);
    expect(() => feed(framer, [word])).toThrow(ProtocolError);
    expect(() => feed(framer, [encodePacket(header(1))])).toThrow(ProtocolError);
  });

  it('rejects a bad length word split across chunks', () => {
    const framer = new PacketFramer();
    expect(feed(framer, [Buffer.from([0x7f, 0xff])])).toEqual([]);
    expect(() => feed(framer, [Buffer.from([0xff, 0xff])])).toThrow(/exceeds the protocol limit/);
  });

  it('accepts the smallest and the largest legal lengths', () => {
    const framer = new PacketFramer();
    const min = encodePacket(header(1));
    expect(min.length).toBe(PACKET_MIN_LENGTH);
    expect(feed(framer, [min])).toHaveLength(1);
    const max = Buffer.alloc(PACKET_MAX_LENGTH);
    encodePacket(header(2)).copy(max);
    max.writeUInt32BE(PACKET_MAX_LENGTH, 0);
    const out = feed(framer, [max.subarray(0, 1000), max.subarray(1000)]);
    expect(out).toHaveLength(1);
    expect(out[0]?.length).toBe(PACKET_MAX_LENGTH);
  });
});
