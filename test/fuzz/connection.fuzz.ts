/**
 * Feeds random, truncated, mutated and oversized packets from a fake daemon into an
 * RpcConnection with calls, streams and event listeners pending. The contract: no crash,
 * no hang (everything settles once the input ends), and every failure a caller sees is a
 * ProtocolError, TransportError or LibvirtError.
 */
import { Duplex } from 'node:stream';
import { LibvirtError, ProtocolError, TransportError } from '../../electron/libvirt/errors';
import { KEEPALIVE_PROGRAM } from '../../electron/libvirt/protocol/keepalive.gen';
import {
  REMOTE_PROGRAM,
  remoteEvents,
  remoteProcedures,
} from '../../electron/libvirt/protocol/remote.gen';
import {
  VIR_NET_MESSAGE_MAX,
  VirNetMessageStatus,
  VirNetMessageType,
  virNetMessageErrorCodec,
} from '../../electron/libvirt/protocol/virnet.gen';
import { decodePacket, encodePacket, type PacketHeader } from '../../electron/libvirt/rpc/packet';
import { PacketFramer } from '../../electron/libvirt/rpc/packet-framer';
import { RpcConnection } from '../../electron/libvirt/rpc/rpc-connection';
import type { ProcedureInfo } from '../../electron/libvirt/rpc/procedure';
import { XdrWriter, type XdrCodec } from '../../electron/libvirt/xdr';
import { prng } from './decoders.fuzz';

/** Settling after the input ends must take no longer than this. */
const SETTLE_MS = 2000;
const MAX_REPORTED = 50;

/** An in-memory daemon end: what we push is what the connection reads. */
class FuzzPipe extends Duplex {
  readonly written: Buffer[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.written.push(chunk);
    cb();
  }
}

function encode<T>(codec: XdrCodec<T>, value: T): Uint8Array {
  const w = new XdrWriter();
  codec.encode(w, value);
  return w.bytes();
}

const isTyped = (e: unknown): boolean =>
  e instanceof LibvirtError || e instanceof ProtocolError || e instanceof TransportError;

// Node's own errors for what the fuzzer's stream *user* does wrong (writing after the
// daemon ended the stream): consequences of our random actions, not of the input.
const USER_MISUSE = new Set(['ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_DESTROYED']);
const isStreamOutcome = (e: unknown): boolean =>
  isTyped(e) || USER_MISUSE.has((e as NodeJS.ErrnoException | undefined)?.code ?? '');

const describe = (e: unknown): string =>
  e instanceof Error ? `${e.name}: ${e.message}` : `non-Error ${typeof e}`;

// Real replies, errors and events to mutate: deep enough to pass the framing layer.
const samplePayloads: Uint8Array[] = [
  encode(remoteProcedures.CONNECT_GET_URI.ret!, { uri: 'qemu:///system' }),
  encode(remoteProcedures.AUTH_LIST.ret!, { types: [0, 2] }),
  encode(remoteProcedures.DOMAIN_LOOKUP_BY_NAME.ret!, {
    dom: { name: 'vm', uuid: new Uint8Array(16), id: 3 },
  }),
  encode(virNetMessageErrorCodec, {
    code: 42,
    domain: 10,
    message: 'Domain not found',
    level: 2,
    dom: null,
    str1: 'x',
    str2: null,
    str3: null,
    int1: 0,
    int2: 0,
    net: null,
  }),
  encode(remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE.msg, {
    callbackID: 1,
    msg: { dom: { name: 'vm', uuid: new Uint8Array(16), id: 1 }, event: 3, detail: 0 },
  }),
];

const calls: ProcedureInfo<unknown, unknown>[] = [
  remoteProcedures.CONNECT_GET_URI,
  remoteProcedures.AUTH_LIST,
  remoteProcedures.CONNECT_GET_LIB_VERSION,
  remoteProcedures.CONNECT_LIST_ALL_DOMAINS,
] as ProcedureInfo<unknown, unknown>[];
const callArgs: unknown[] = [undefined, undefined, undefined, { need_results: 1, flags: 0 }];

export async function run(
  iterations: number,
  seed: number,
): Promise<{ iterations: number; failures: string[] }> {
  const failures: string[] = [];
  const fail = (i: number, what: string): void => {
    if (failures.length < MAX_REPORTED) failures.push(`iteration ${i} (seed ${seed}): ${what}`);
  };
  const onUncaught = (err: unknown): void => fail(-1, `uncaught ${describe(err)}`);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    const rand = prng(seed);
    for (let i = 0; i < iterations; i++) await oneRun(i, rand, fail);
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
  return { iterations, failures };
}

async function oneRun(i: number, rand: () => number, fail: (i: number, what: string) => void) {
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const pipe = new FuzzPipe();
  const conn = new RpcConnection(
    { stream: pipe, description: 'fuzz', close: () => pipe.destroy() },
    { logger: { warn: () => {}, debug: () => {} }, keepaliveIntervalMs: 50, keepaliveCount: 2 },
  );
  conn.onAnyEvent(() => {});
  if (rand() < 0.3) conn.startKeepalive();
  let closedCount = 0;
  const closed = new Promise<void>((resolve) =>
    conn.on('closed', () => {
      closedCount++;
      resolve();
    }),
  );

  const pending: Promise<unknown>[] = [];
  // Judged below with allSettled; a handler now keeps early rejections from counting as unhandled.
  const track = (p: Promise<unknown>): void => {
    p.catch(() => {});
    pending.push(p);
  };
  for (let n = 1 + int(6); n > 0; n--) {
    const k = int(calls.length);
    track(conn.call(calls[k]!, callArgs[k], rand() < 0.2 ? { timeoutMs: 1 + int(20) } : {}));
  }
  const streamCalls = int(3);
  for (let n = 0; n < streamCalls; n++) {
    const proc = pick([remoteProcedures.STORAGE_VOL_DOWNLOAD, remoteProcedures.STORAGE_VOL_UPLOAD]);
    const vol = { pool: 'p', name: 'v', key: 'k' };
    track(
      conn
        .callWithStream(proc, { vol, offset: 0n, length: 0n, flags: 0 }, { sparse: rand() < 0.5 })
        .then(
          ({ stream }) =>
            new Promise<void>((resolve, reject) => {
              stream.on('error', (e) => (isStreamOutcome(e) ? resolve() : reject(e)));
              stream.on('data', () => {});
              stream.on('close', () => resolve());
              if (rand() < 0.3) stream.write(Buffer.alloc(int(300_000)));
              if (rand() < 0.3) stream.end();
              if (rand() < 0.1) stream.destroy();
            }),
        ),
    );
  }
  await new Promise((r) => setImmediate(r));

  // The serials the client really used, so some replies hit pending calls.
  const framer = new PacketFramer();
  const sent: PacketHeader[] = [];
  for (const chunk of pipe.written) framer.push(chunk, (f) => sent.push(decodePacket(f).header));

  const out: Buffer[] = [];
  for (let n = int(12); n > 0; n--) out.push(randomPacket(rand, int, pick, sent));
  let input = Buffer.concat(out);
  if (rand() < 0.2) input = input.subarray(0, int(input.length + 1)); // cut anywhere
  for (let pos = 0; pos < input.length;) {
    const len = 1 + int(Math.min(input.length - pos, 4096));
    pipe.push(input.subarray(pos, pos + len));
    pos += len;
    if (rand() < 0.1) await new Promise((r) => setImmediate(r));
  }
  if (rand() < 0.5) pipe.push(null);
  else pipe.destroy();

  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), SETTLE_MS);
  });
  const settled = await Promise.race([
    Promise.all([Promise.allSettled(pending), closed]).then(([results]) => results),
    hang,
  ]);
  clearTimeout(timer);
  if (settled === 'hang') {
    fail(
      i,
      conn.closed
        ? `calls or streams still pending ${SETTLE_MS} ms after the input ended`
        : 'connection still open after its transport ended',
    );
    conn.terminate();
    return;
  }
  for (const r of settled) {
    if (r.status === 'rejected' && !isTyped(r.reason))
      fail(i, `untyped failure ${describe(r.reason)}`);
  }
  if (closedCount !== 1) fail(i, `'closed' emitted ${closedCount} times`);
}

function randomPacket(
  rand: () => number,
  int: (n: number) => number,
  pick: <T>(items: readonly T[]) => T,
  sent: readonly PacketHeader[],
): Buffer {
  const kind = int(10);
  if (kind === 0) return Buffer.from(Array.from({ length: int(64) }, () => int(256))); // garbage
  if (kind === 1) {
    // A length word beyond the limit, or below the header size.
    const b = Buffer.alloc(4 + int(40));
    b.writeUInt32BE(rand() < 0.5 ? VIR_NET_MESSAGE_MAX + 5 + int(1000) : int(28), 0);
    return b;
  }
  const base = sent.length > 0 && rand() < 0.8 ? pick(sent) : undefined;
  const header: PacketHeader = {
    prog: base?.prog ?? pick([REMOTE_PROGRAM, KEEPALIVE_PROGRAM, int(2 ** 32)]),
    vers: rand() < 0.9 ? 1 : int(5),
    proc: base && rand() < 0.8 ? base.proc : int(500) - 10,
    type: pick([
      VirNetMessageType.VIR_NET_REPLY,
      VirNetMessageType.VIR_NET_REPLY,
      VirNetMessageType.VIR_NET_MESSAGE,
      VirNetMessageType.VIR_NET_STREAM,
      VirNetMessageType.VIR_NET_STREAM_HOLE,
      VirNetMessageType.VIR_NET_REPLY_WITH_FDS,
      int(20) - 5,
    ]),
    serial: base && rand() < 0.8 ? base.serial : int(2 ** 32),
    status: pick([
      VirNetMessageStatus.VIR_NET_OK,
      VirNetMessageStatus.VIR_NET_ERROR,
      VirNetMessageStatus.VIR_NET_CONTINUE,
      int(10) - 3,
    ]),
  };
  if (header.type === VirNetMessageType.VIR_NET_MESSAGE && rand() < 0.5) {
    header.prog = pick([REMOTE_PROGRAM, KEEPALIVE_PROGRAM]);
    header.proc =
      header.prog === KEEPALIVE_PROGRAM
        ? 1 + int(2)
        : remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE.proc;
  }
  let payload = Buffer.from(pick(samplePayloads));
  const mutation = int(5);
  if (mutation === 0) payload = payload.subarray(0, int(payload.length + 1));
  if (mutation === 1) for (let n = 1 + int(4); n > 0; n--) payload[int(payload.length)] = int(256);
  if (mutation === 2) payload = Buffer.concat([payload, Buffer.alloc(int(64), int(256))]);
  if (mutation === 3) payload = Buffer.alloc(int(3) === 0 ? 0 : int(300_000), int(256));
  return encodePacket(header, payload);
}
