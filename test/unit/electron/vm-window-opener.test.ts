import { describe, expect, it } from 'vitest';
import { createVmWindowHandlers } from '../../../electron/handlers/vm-window-handlers';
import {
  VmWindowOpener,
  type VmWindowRequest,
} from '../../../electron/vm-windows/vm-window-opener';

const ctx = { caller: 'test' };
const target = {
  connectionId: '0f8c7a4e-1b2c-4d3e-8f90-123456789abc',
  uuid: 'aabbccdd-1122-3344-5566-77889900aabb',
};

describe('VM window opener', () => {
  it('answers opened: false without windows of its own (the web host)', async () => {
    const vmWindows = new VmWindowOpener();
    const handlers = createVmWindowHandlers({ vmWindows });
    expect(await handlers['vmWindow:open']({ ...target }, ctx)).toEqual({ opened: false });
  });

  it('hands the VM and the tab to the host that makes windows, until it is removed', async () => {
    const vmWindows = new VmWindowOpener();
    const asked: VmWindowRequest[] = [];
    vmWindows.setOpener(async (request) => {
      asked.push(request);
    });
    const handlers = createVmWindowHandlers({ vmWindows });
    expect(await handlers['vmWindow:open']({ ...target, tab: 'xml' }, ctx)).toEqual({
      opened: true,
    });
    expect(await handlers['vmWindow:open']({ ...target }, ctx)).toEqual({ opened: true });
    expect(asked).toEqual([{ ...target, tab: 'xml' }, { ...target }]);
    vmWindows.setOpener(null);
    expect(await vmWindows.open(target)).toEqual({ opened: false });
  });

  it('passes a failure of the window maker on', async () => {
    const vmWindows = new VmWindowOpener();
    vmWindows.setOpener(async () => {
      throw new Error('no display');
    });
    await expect(vmWindows.open(target)).rejects.toThrow('no display');
  });
});
