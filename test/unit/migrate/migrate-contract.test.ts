import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrateCheckSchema, migrateSchema } from '../../../shared/contract/migrate';

const base = {
  connectionId: randomUUID(),
  uuid: randomUUID(),
  destinationId: randomUUID(),
  jobId: randomUUID(),
};

describe('vm:migrate input', () => {
  it('accepts a full request', () => {
    const request = {
      ...base,
      mode: 'live',
      storage: 'copy-all',
      transport: 'direct',
      destinationPool: 'default',
      persistent: true,
      undefineSource: true,
      bandwidthMiBs: 100,
      address: '192.168.1.20',
      destinationXml: '<domain/>',
    };
    expect(migrateSchema.parse(request)).toEqual(request);
  });

  it.each([
    ['a bandwidth that is no whole number', { bandwidthMiBs: 1.5 }],
    ['a negative bandwidth', { bandwidthMiBs: -1 }],
    ['an address with a scheme', { address: 'tcp://10.0.0.1' }],
    ['an address with a space', { address: 'a b' }],
    ['an unknown storage mode', { storage: 'copy' }],
    ['a pool name with a slash', { destinationPool: '../x' }],
    ['an unknown field', { force: true }],
    ['an empty destination XML', { destinationXml: '' }],
  ])('refuses %s', (_what, extra) => {
    expect(migrateSchema.safeParse({ ...base, ...extra }).success).toBe(false);
  });

  it('needs a job id and a destination', () => {
    const { jobId: _jobId, ...noJob } = base;
    expect(migrateSchema.safeParse(noJob).success).toBe(false);
    const { destinationId: _d, jobId: _j, ...noDest } = base;
    expect(migrateCheckSchema.safeParse(noDest).success).toBe(false);
  });
});
