import { z } from 'zod';
import { channel } from './channel';
import { vmTargetSchema } from './vms';

/** The tabs of a VM window, as its route (`#/vm/<connectionId>/<uuid>/<tab>`) names them. */
export const vmWindowTabs = ['console', 'details', 'performance', 'snapshots', 'xml'] as const;
export type VmWindowTab = (typeof vmWindowTabs)[number];

export const vmWindowChannels = {
  /**
   * Opens (or focuses) the VM's own window (Electron). `opened: false`: this host has no
   * windows of its own; the page opens `#/vm/<connectionId>/<uuid>` itself.
   */
  'vmWindow:open': channel<{ opened: boolean }>()(
    vmTargetSchema.extend({ tab: z.enum(vmWindowTabs).optional() }).strict(),
  ),
};
