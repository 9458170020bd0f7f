import type { Locator, Page } from 'playwright-core';

/** What the user reads (English UI); these texts are part of what is tested. */
const texts = {
  storageTab: 'Storage',
  networksTab: 'Networks',
  addPool: 'Add pool',
  addPoolDialog: 'Add a storage pool',
  createPool: 'Create pool',
  uploadFile: 'Upload file',
  upload: 'Upload',
  addNetwork: 'Add network',
  addNetworkDialog: 'Add a virtual network',
  createNetwork: 'Create network',
} as const;

/**
 * The Storage and Networks tabs of a host's details dialog, found by role and label as a
 * user finds them.
 */
export class StorageNetworksPage {
  constructor(
    readonly page: Page,
    readonly dialog: Locator,
  ) {}

  async openTab(name: 'Storage' | 'Networks'): Promise<void> {
    await this.dialog.getByRole('tab', { name, exact: true }).click();
  }

  pool(name: string): Locator {
    return this.dialog.locator(`tr[data-pool="${name}"]`);
  }

  volume(name: string): Locator {
    return this.dialog.locator(`tr[data-volume="${name}"]`);
  }

  network(name: string): Locator {
    return this.dialog.locator(`tr[data-network="${name}"]`);
  }

  async createDirectoryPool(name: string, folder: string): Promise<Locator> {
    await this.openTab(texts.storageTab);
    await this.dialog.getByRole('button', { name: texts.addPool }).click();
    const form = this.page.getByRole('dialog', { name: texts.addPoolDialog });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Folder on the host', { exact: true }).fill(folder);
    await form.getByRole('button', { name: texts.createPool }).click();
    return form;
  }

  /** Starts uploading the file into the selected pool; returns the transfer's row. */
  async uploadIntoPool(pool: string, file: string): Promise<Locator> {
    // The row's middle holds its autostart switch: click the name, as a user would.
    await this.pool(pool).getByText(pool, { exact: true }).click();
    await this.dialog.getByRole('button', { name: texts.uploadFile }).click();
    const form = this.page.getByRole('dialog', { name: `Upload a file into ${pool}` });
    await form.locator('input[type="file"]').setInputFiles(file);
    await form.getByRole('button', { name: texts.upload, exact: true }).click();
    await form.waitFor({ state: 'hidden' });
    return this.dialog.getByTestId('transfer');
  }

  async createNatNetwork(input: {
    name: string;
    address: string;
    dhcpStart: string;
    dhcpEnd: string;
  }): Promise<Locator> {
    await this.openTab(texts.networksTab);
    await this.dialog.getByRole('button', { name: texts.addNetwork }).click();
    const form = this.page.getByRole('dialog', { name: texts.addNetworkDialog });
    await form.getByLabel('Name', { exact: true }).fill(input.name);
    await form.getByLabel('Host address', { exact: true }).first().fill(input.address);
    await form.getByLabel('DHCP range start', { exact: true }).first().fill(input.dhcpStart);
    await form.getByLabel('DHCP range end', { exact: true }).first().fill(input.dhcpEnd);
    await form.getByRole('button', { name: texts.createNetwork }).click();
    return form;
  }
}
