import { describe, expect, it } from 'vitest';
import {
  bandwidthEdit,
  bandwidthForm,
  bandwidthProblem,
} from '../../../../../../renderer/src/components/vm-details/devices/bandwidth-form';
import {
  iotuneEdit,
  iotuneForm,
  iotuneProblem,
} from '../../../../../../renderer/src/components/vm-details/devices/iotune-form';

describe('iotune form', () => {
  it('shows bytes in the largest unit that keeps every value whole', () => {
    expect(iotuneForm({ read_bytes_sec: 2097152, write_bytes_sec: 1024 })).toMatchObject({
      unit: 'KiB',
      values: { readBytesSec: '2048', writeBytesSec: '1', totalIopsSec: '' },
    });
    expect(iotuneForm({ read_bytes_sec: 1000, total_iops_sec: 300 }).values).toMatchObject({
      readBytesSec: '1000',
      totalIopsSec: '300',
    });
  });

  it('gives only the changed limits, in bytes, null for a cleared one', () => {
    const base = iotuneForm({ read_bytes_sec: 1048576, read_iops_sec: 50 });
    const form = structuredClone(base);
    form.values.writeBytesSec = '3';
    form.values.readIopsSec = '';
    expect(iotuneEdit(form, base)).toEqual({ writeBytesSec: 3145728, readIopsSec: null });
    expect(iotuneEdit(base, base)).toBeUndefined();
  });

  it("says libvirt's total-vs-read/write rule and bad numbers before Apply", () => {
    const form = iotuneForm({});
    form.values.totalIopsSec = '10';
    form.values.writeIopsSec = '5';
    expect(iotuneProblem(form)).toEqual({ field: 'totalIopsSec', key: 'totalIops' });
    form.values.writeIopsSec = '';
    form.values.readBytesSec = '1.5';
    expect(iotuneProblem(form)).toEqual({ field: 'readBytesSec', key: 'wholeNumber' });
  });
});

describe('bandwidth form', () => {
  const view = {
    inbound: { average: 1000, peak: 2000, burst: undefined, floor: undefined },
    outbound: undefined,
  };

  it('gives the changed directions only; emptying a direction removes it', () => {
    const base = bandwidthForm(view);
    const form = structuredClone(base);
    form.outbound.average = '500';
    form.outbound.burst = '64';
    expect(bandwidthEdit(form, base)).toEqual({ outbound: { average: 500, burst: 64 } });
    form.inbound = { average: '', peak: '', burst: '' };
    expect(bandwidthEdit(form, base)).toMatchObject({ inbound: null });
  });

  it('needs an average for a peak or burst, and positive whole numbers', () => {
    const form = bandwidthForm(view);
    form.outbound.peak = '10';
    expect(bandwidthProblem(form)).toEqual({ direction: 'outbound', key: 'averageNeeded' });
    form.outbound = { average: '0', peak: '', burst: '' };
    expect(bandwidthProblem(form)).toEqual({ direction: 'outbound', key: 'positiveNumber' });
  });
});
