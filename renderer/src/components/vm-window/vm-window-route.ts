import { vmWindowTabs, type VmWindowTab } from '../../../../shared/contract/vm-window';

/** A VM's own window: `#/vm/<connectionId>/<vm uuid>`, optionally `/<tab>`. */
export interface VmWindowRoute {
  connectionId: string;
  uuid: string;
  tab: VmWindowTab | null;
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const PATTERN = new RegExp(`^#/vm/(${UUID})/(${UUID})(?:/([a-z]+))?$`);

function isTab(value: string): value is VmWindowTab {
  return (vmWindowTabs as readonly string[]).includes(value);
}

export function parseVmWindowRoute(hash: string): VmWindowRoute | null {
  const match = PATTERN.exec(hash);
  if (!match) return null;
  const tab = match[3];
  // An unknown tab is a wrong address, not a VM window that silently shows something else.
  if (tab !== undefined && !isTab(tab)) return null;
  return {
    connectionId: (match[1] as string).toLowerCase(),
    uuid: (match[2] as string).toLowerCase(),
    tab: tab ?? null,
  };
}

export function vmWindowRouteHash(route: {
  connectionId: string;
  uuid: string;
  tab?: VmWindowTab | null;
}): string {
  return `#/vm/${route.connectionId}/${route.uuid}${route.tab ? `/${route.tab}` : ''}`;
}
