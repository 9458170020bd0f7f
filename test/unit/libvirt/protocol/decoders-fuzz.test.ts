import { describe, expect, it } from 'vitest';
import { decoderTargets, prng, run } from '../../../fuzz/decoders.fuzz';

describe('decoder fuzzing (bounded)', () => {
  it('covers every ret, msg and args decoder plus the virnet ones', () => {
    const names = decoderTargets().map((t) => t.name);
    expect(names).toContain('REMOTE_PROC_NODE_GET_INFO ret');
    expect(names).toContain('REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE msg');
    expect(names).toContain('QEMU_PROC_DOMAIN_MONITOR_EVENT msg');
    expect(names).toContain('virNetMessageError');
    // 222 args+ret, 142 args, 25 ret, 51 events in remote; qemu adds 6 args, 5 ret, 1 msg; lxc 1 args.
    expect(names).toHaveLength(3 + (222 * 2 + 142 + 25 + 51) + (6 + 5 + 1) + 1);
  });

  it('is reproducible from its seed', () => {
    const a = prng(42);
    const b = prng(42);
    const c = prng(43);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
  });

  it('only ever throws XdrError, never hangs, and detects truncation', async () => {
    const result = await run(6000, 0x5eed);
    expect(result.iterations).toBe(6000);
    expect(result.failures).toEqual([]);
    // The run must exercise the interesting paths, not just bounce off the first word.
    expect(result.stats['structured']?.decoded).toBeGreaterThan(200);
    expect(result.stats['truncated']?.rejected).toBeGreaterThan(200);
    expect(result.stats['oversized']?.decoded).toBeGreaterThan(200);
    expect(result.stats['huge']?.rejected).toBeGreaterThan(100);
  }, 60_000);
});
