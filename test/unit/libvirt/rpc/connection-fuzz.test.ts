import { describe, expect, it } from 'vitest';
import { run } from '../../../fuzz/connection.fuzz';

// A bounded run of the connection fuzzer; `npm run fuzz` runs it at length.
describe('RpcConnection under hostile input', () => {
  it.each([1, 0x5eed, 20260101])('seed %i: no crash, no hang, only typed errors', async (seed) => {
    const result = await run(150, seed);
    expect(result.failures).toEqual([]);
    expect(result.iterations).toBe(150);
  });
});
