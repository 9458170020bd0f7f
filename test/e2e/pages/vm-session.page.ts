import type { Browser, Page } from 'playwright-core';
import type { ProvidedLibvirtd } from '../../harness/provided';
import { openWatchedPage } from '../support/browser';
import type { RunningWebHost } from '../support/web-host-runner';
import { ConnectionsPage } from './connections.page';
import { MainWindowPage } from './main-window.page';
import { VmListPage } from './vm-list.page';

export const HARNESS_ALIAS = 'harness';

/**
 * Opens VirtDeck in a fresh page and makes sure the harness daemon is a connected host —
 * the first time as a new user does it (Add connection, its URI, an alias), later by
 * finding it already there.
 */
export async function openConnected(
  browser: Browser,
  host: RunningWebHost,
  daemon: ProvidedLibvirtd,
): Promise<{ page: Page; vms: VmListPage; connections: ConnectionsPage }> {
  const { page } = await openWatchedPage(browser);
  await MainWindowPage.open(page, host.url);
  const connections = new ConnectionsPage(page);
  // Decide only once the saved connections are known: the list, or the empty state.
  await connections.list.or(page.getByText('No connections yet')).first().waitFor();
  if (!(await connections.aliases()).includes(HARNESS_ALIAS)) {
    await connections.addConnection({ alias: HARNESS_ALIAS, customUri: daemon.qemuUri });
  }
  await connections.waitForStatus(HARNESS_ALIAS, 'Connected');
  const vms = new VmListPage(page);
  await vms.list.waitFor();
  return { page, vms, connections };
}
