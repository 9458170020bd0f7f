import { describe, expect, it } from 'vitest';
import { newVmSpecSchema } from '../../../../shared/contract';
import { suggestVmName } from '../../../../renderer/src/components/new-vm/suggest-vm-name';

describe('suggestVmName', () => {
  it('uses the OS short id when it is free', () => {
    expect(suggestVmName('debian12', ['fedora40'])).toBe('debian12');
  });

  it('counts up from -2 past the names already on the host', () => {
    expect(suggestVmName('debian12', ['debian12', 'debian12-2', 'debian12-4'])).toBe('debian12-3');
  });

  it('calls a generic guest "vm"', () => {
    expect(suggestVmName(null, [])).toBe('vm');
    expect(suggestVmName(null, ['vm'])).toBe('vm-2');
  });

  it('makes odd short ids into names the spec accepts', () => {
    for (const shortId of ['win2k22 (core)', '-silly', '.hidden', 'opensuse/tumbleweed']) {
      const name = suggestVmName(shortId, []);
      expect(name).not.toMatch(/^[.+-]/);
      const parsed = newVmSpecSchema.shape.name.safeParse(name);
      expect(parsed.success, `${shortId} → ${name}`).toBe(true);
    }
  });
});
