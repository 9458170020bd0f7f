/**
 * Feeds random, structured, truncated and oversized byte arrays into every generated
 * decoder a peer can reach (ret, msg, args, virnet). The contract: a decoder returns a
 * value or throws XdrError — never another exception, and never runs long.
 */
import { keepaliveProcedures } from '../../electron/libvirt/protocol/keepalive.gen';
import { lxcProcedures } from '../../electron/libvirt/protocol/lxc.gen';
import { qemuEvents, qemuProcedures } from '../../electron/libvirt/protocol/qemu.gen';
import { remoteEvents, remoteProcedures } from '../../electron/libvirt/protocol/remote.gen';
import {
  virNetMessageErrorCodec,
  virNetMessageHeaderCodec,
  virNetStreamHoleCodec,
} from '../../electron/libvirt/protocol/virnet.gen';
import type { ProcedureInfo, EventInfo } from '../../electron/libvirt/rpc/procedure';
import { XdrError, XdrReader, XdrWriter, type XdrCodec } from '../../electron/libvirt/xdr';

export interface FuzzResult {
  iterations: number;
  failures: string[];
  /** Decodes per strategy and how they ended, to show the inputs reach deep enough. */
  stats: Record<string, { decoded: number; rejected: number }>;
}

interface Target {
  name: string;
  codec: XdrCodec<unknown>;
}

/** One decode taking this long means a loop the input should not be able to cause. */
const SLOW_DECODE_MS = 250;
const MAX_REPORTED = 50;

/** Small, fast, seedable PRNG (mulberry32) so any failure can be replayed by seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every decoder reachable from a peer's bytes, in a stable order. */
export function decoderTargets(): Target[] {
  const targets: Target[] = [
    { name: 'virNetMessageHeader', codec: virNetMessageHeaderCodec as XdrCodec<unknown> },
    { name: 'virNetMessageError', codec: virNetMessageErrorCodec as XdrCodec<unknown> },
    { name: 'virNetStreamHole', codec: virNetStreamHoleCodec as XdrCodec<unknown> },
  ];
  const tables: Record<string, ProcedureInfo<unknown, unknown>>[] = [
    remoteProcedures,
    qemuProcedures,
    lxcProcedures,
    keepaliveProcedures,
  ];
  for (const table of tables) {
    for (const p of Object.values(table)) {
      if (p.ret !== null) targets.push({ name: `${p.name} ret`, codec: p.ret });
      if (p.args !== null) targets.push({ name: `${p.name} args`, codec: p.args });
    }
  }
  const events: Record<string, EventInfo<unknown>>[] = [remoteEvents, qemuEvents];
  for (const table of events) {
    for (const e of Object.values(table)) targets.push({ name: `${e.name} msg`, codec: e.msg });
  }
  return targets;
}

type Strategy = 'random' | 'structured' | 'truncated' | 'oversized' | 'huge';
const STRATEGIES: readonly Strategy[] = ['random', 'structured', 'truncated', 'oversized', 'huge'];

/** Words a decoder branches on: 0/1 discriminants, small counts and the edges of u32. */
const INTERESTING = [
  0, 1, 1, 1, 2, 3, 4, 7, 8, 16, 32, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe,
];

class InputMaker {
  constructor(readonly rand: () => number) {}

  int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  random(maxLen: number): Uint8Array {
    const out = new Uint8Array(this.int(maxLen + 1));
    for (let i = 0; i < out.length; i++) out[i] = this.int(256);
    return out;
  }

  /** Word-aligned input that mostly looks like XDR, so decoding gets deep into structures. */
  structured(words: number): Uint8Array {
    const w = new XdrWriter(words * 4 + 16);
    const n = this.int(words + 1);
    for (let i = 0; i < n; i++) {
      const pick = this.rand();
      if (pick < 0.55) w.uint(INTERESTING[this.int(INTERESTING.length)] ?? 0);
      else if (pick < 0.8) w.uint(this.int(64));
      else if (pick < 0.9) w.uint(this.int(0x100000000));
      else w.string('abcdefgh'.slice(0, this.int(9)), 16);
    }
    return w.bytes();
  }
}

function hexHead(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 96)).toString('hex');
  return bytes.length > 96 ? `${head}… (${bytes.length} bytes)` : head;
}

type Outcome = { ok: true; consumed: number; value: unknown } | { ok: false; error: unknown };

function tryDecode(codec: XdrCodec<unknown>, bytes: Uint8Array): Outcome {
  const r = new XdrReader(bytes);
  try {
    const value = codec.decode(r);
    return { ok: true, consumed: r.position, value };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : `non-Error thrown: ${typeof e}`;
}

/**
 * Runs `iterations` decodes, cycling over all targets so each is hit, each with a
 * strategy picked by the seeded PRNG. Successful decodes also check that every shorter
 * prefix fails with XdrError, that trailing bytes are left unread, and that re-encoding
 * the decoded value throws nothing but XdrError.
 */
export async function run(iterations: number, seed: number): Promise<FuzzResult> {
  const rand = prng(seed);
  const make = new InputMaker(rand);
  const targets = decoderTargets();
  const failures: string[] = [];
  let failureCount = 0;
  const fail = (msg: string): void => {
    failureCount++;
    if (failures.length < MAX_REPORTED) failures.push(msg);
  };
  /** A valid encoding seen per target, reused by the truncated/oversized strategies. */
  const corpus = new Map<number, Uint8Array>();
  const stats: FuzzResult['stats'] = {};
  for (const s of STRATEGIES) stats[s] = { decoded: 0, rejected: 0 };

  for (let i = 0; i < iterations; i++) {
    const index = i % targets.length;
    const target = targets[index];
    if (target === undefined) continue;
    let strategy = STRATEGIES[make.int(STRATEGIES.length)] ?? 'random';
    const valid = corpus.get(index);
    if ((strategy === 'truncated' || strategy === 'oversized') && valid === undefined)
      strategy = 'structured';

    let input: Uint8Array;
    switch (strategy) {
      case 'random':
        input = make.random(make.rand() < 0.8 ? 64 : 1024);
        break;
      case 'structured':
        input = make.structured(make.rand() < 0.8 ? 24 : 256);
        break;
      case 'truncated':
        input = (valid ?? new Uint8Array()).subarray(
          0,
          make.int((valid ?? new Uint8Array()).length),
        );
        break;
      case 'oversized': {
        const extra = make.random(64);
        input = new Uint8Array([...(valid ?? []), ...extra, 0, 0, 0, 1]);
        break;
      }
      case 'huge': {
        // 64 KiB of one repeated word: counts/lengths that claim far more than is there.
        const word = INTERESTING[make.int(INTERESTING.length)] ?? 0;
        const w = new XdrWriter(65536);
        for (let k = 0; k < 16384; k++) w.uint(word);
        input = w.bytes();
        break;
      }
    }

    const where = `${target.name} [${strategy}] seed=${seed} iteration=${i} input=${hexHead(input)}`;
    const started = performance.now();
    const outcome = tryDecode(target.codec, input);
    const took = performance.now() - started;
    if (took > SLOW_DECODE_MS) fail(`${where}: decode took ${took.toFixed(0)} ms`);
    const tally = stats[strategy];
    if (tally !== undefined) tally[outcome.ok ? 'decoded' : 'rejected']++;
    if (!outcome.ok) {
      if (!(outcome.error instanceof XdrError))
        fail(`${where}: threw ${describeError(outcome.error)}`);
      if (strategy === 'oversized')
        fail(`${where}: valid prefix plus trailing bytes failed to decode`);
      continue;
    }
    if (strategy === 'truncated') {
      fail(`${where}: a strict prefix of a valid encoding decoded without error`);
      continue;
    }
    if (strategy === 'oversized' && outcome.consumed !== (valid?.length ?? -1)) {
      fail(`${where}: consumed ${outcome.consumed} bytes, expected ${valid?.length ?? -1}`);
    }
    const encoded = input.subarray(0, outcome.consumed);
    if (!corpus.has(index) || rand() < 0.2) corpus.set(index, encoded.slice());
    try {
      target.codec.encode(new XdrWriter(), outcome.value);
    } catch (error) {
      // A decoded value may not re-encode (e.g. invalid UTF-8 grows past a bound) but
      // must fail as XdrError, not crash.
      if (!(error instanceof XdrError)) fail(`${where}: re-encode threw ${describeError(error)}`);
    }
    // Yield now and then so a runner's timeout can fire.
    if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
  }
  if (failureCount > failures.length)
    failures.push(`… and ${failureCount - failures.length} more failures`);
  return { iterations, failures, stats };
}
