import { describe, expect, it } from 'vitest';
import { XmlEditError, cpusetCpus } from '../../../../shared/xml';

describe('cpusetCpus', () => {
  it('expands ranges, single CPUs and exclusions, ascending', () => {
    expect(cpusetCpus('0-3,^2,5', 'x')).toEqual([0, 1, 3, 5]);
    expect(cpusetCpus(' 1 , 0 ', 'x')).toEqual([0, 1]);
    expect(cpusetCpus('0-1,^0', 'x')).toEqual([1]);
  });

  it('refuses bad syntax, reversed ranges and lists that leave no CPU, naming the field', () => {
    expect(() => cpusetCpus('0-', 'The emulator pinning')).toThrow(
      new XmlEditError("The emulator pinning '0-' is not a CPU list like 0-3,^2"),
    );
    expect(() => cpusetCpus('', 'x')).toThrow(/not a CPU list/);
    expect(() => cpusetCpus('3-1', 'x')).toThrow(/bad range 3-1/);
    expect(() => cpusetCpus('0-9000', 'x')).toThrow(/bad range/);
    expect(() => cpusetCpus('^1', 'x')).toThrow(/leaves no CPU/);
    expect(() => cpusetCpus('0,^0', 'x')).toThrow(/leaves no CPU/);
  });
});
