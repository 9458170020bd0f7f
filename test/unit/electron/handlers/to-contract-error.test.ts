import { describe, expect, it } from 'vitest';
import { VirtDeckError } from '../../../../shared/contract/errors';
import { toContractError } from '../../../../electron/handlers/to-contract-error';
import { TransportError } from '../../../../electron/libvirt/errors';

describe('toContractError', () => {
  it('recognises a libvirt error by its marker, not its class (another bundle’s copy)', () => {
    const copy = Object.assign(
      new Error('Requested operation is not valid: domain is not running'),
      {
        name: 'LibvirtError',
        libvirt: true,
        code: 55,
        domain: 10,
        level: 2,
        codeName: 'VIR_ERR_OPERATION_INVALID',
      },
    );
    expect(toContractError(copy)).toEqual({
      kind: 'libvirt',
      message: 'Requested operation is not valid: domain is not running',
      code: 55,
      domain: 10,
      codeName: 'VIR_ERR_OPERATION_INVALID',
    });
  });

  it('does not take any error with a numeric code for libvirt’s', () => {
    const err = Object.assign(new Error('exit 3'), { code: 3, domain: 1 });
    expect(toContractError(err)).toEqual({ kind: 'internal', message: 'exit 3' });
  });

  it('reports link failures as transport, with the context a service added', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16509'), {
      code: 'ECONNREFUSED',
    });
    expect(toContractError(refused)).toEqual({
      kind: 'transport',
      message: 'connect ECONNREFUSED 127.0.0.1:16509',
    });
    expect(toContractError(new Error('Connecting to web01 failed', { cause: refused }))).toEqual({
      kind: 'transport',
      message: 'Connecting to web01 failed: connect ECONNREFUSED 127.0.0.1:16509',
    });
    expect(toContractError(new TransportError('The daemon closed the connection', 'eof'))).toEqual({
      kind: 'transport',
      message: 'The daemon closed the connection',
    });
    const ssh = Object.assign(new Error('All configured authentication methods failed'), {
      level: 'client-authentication',
    });
    expect(toContractError(ssh).kind).toBe('transport');
  });

  it('passes a VirtDeckError through unchanged', () => {
    const err = new VirtDeckError({ kind: 'validation', message: 'Name taken', path: 'name' });
    expect(toContractError(err)).toEqual({
      kind: 'validation',
      message: 'Name taken',
      path: 'name',
      code: undefined,
      domain: undefined,
      codeName: undefined,
    });
  });

  it('keeps the real message of anything else, and describes non-errors', () => {
    expect(toContractError(new RangeError('Invalid array length'))).toEqual({
      kind: 'internal',
      message: 'Invalid array length',
    });
    expect(toContractError({ weird: true })).toEqual({
      kind: 'internal',
      message: 'A non-Error value was thrown: object {"weird":true}',
    });
    expect(toContractError(undefined).message).toBe('A non-Error value was thrown: undefined');
  });

  it('survives a circular cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(toContractError(a)).toEqual({ kind: 'internal', message: 'a' });
  });
});
