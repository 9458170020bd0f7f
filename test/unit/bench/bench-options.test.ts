import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../../bench/rpc/bench-options';

describe('parseBenchOptions', () => {
  it('has the documented defaults', () => {
    expect(parseBenchOptions([])).toEqual({
      domains: 1000,
      json: false,
      warmup: 3,
      repeats: 9,
      statsRepeats: 31,
      pool: [2, 4],
      inFlight: [],
      pyThreads: [4, 8, 16],
      help: false,
    });
  });

  it('reads both --flag value and --flag=value', () => {
    const o = parseBenchOptions([
      '--domains',
      '250',
      '--json',
      '--repeats=3',
      '--py-threads',
      '2,8,8',
    ]);
    expect(o).toMatchObject({ domains: 250, json: true, repeats: 3, pyThreads: [2, 8] });
  });

  it.each([
    [['--domains', '0'], /--domains must be in 1/],
    [['--domains', '100000'], /--domains must be in 1 … 99999/],
    [['--domains', '1e3'], /needs a whole number/],
    [['--domains'], /needs a whole number, got nothing/],
    [['--pool', '1'], /--pool must be in 2/],
    [['--in-flight', '4,x'], /--in-flight needs a whole number, got x/],
    [['--json=yes'], /--json takes no value/],
    [['--frobnicate'], /unknown option --frobnicate/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseBenchOptions(argv)).toThrow(message);
  });
});
