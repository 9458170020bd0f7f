import type { VmWindowTab } from '../../shared/contract/vm-window';

export interface VmWindowRequest {
  connectionId: string;
  uuid: string;
  tab?: VmWindowTab;
}

export type VmWindowOpenFn = (request: VmWindowRequest) => Promise<void>;

/**
 * Where 'vmWindow:open' goes: the Electron host installs a function that makes windows;
 * the web host installs none, so the page opens the route in a browser window itself.
 */
export class VmWindowOpener {
  private opener: VmWindowOpenFn | null = null;

  setOpener(opener: VmWindowOpenFn | null): void {
    this.opener = opener;
  }

  async open(request: VmWindowRequest): Promise<{ opened: boolean }> {
    if (!this.opener) return { opened: false };
    await this.opener(request);
    return { opened: true };
  }
}
