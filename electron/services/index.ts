import type { AppInfo, HostKind } from '../../shared/contract/app';
import { CloneService } from '../clone/clone-service';
import { appIdentity } from '../config/app-identity';
import { ConnectionManager } from '../connections/connection-manager';
import type { ConnectionManagerOptions } from '../connections/connection-manager';
import { createSecretStore } from '../connections/create-secret-store';
import type { SecretCipher } from '../connections/encrypted-secret-store';
import { createConsoles, type Consoles } from '../consoles/create-consoles';
import { DomainEditService } from '../domain-edit/domain-edit-service';
import { HostDeviceService } from '../host-devices/host-device-service';
import { MigrationService } from '../migrate/migration-service';
import { NetworkService } from '../networks/network-service';
import { NewVmService } from '../new-vm/new-vm-service';
import { SnapshotService } from '../snapshots/snapshot-service';
import { SnapshotThumbnails } from '../snapshots/snapshot-thumbnails';
import { VmSaveFiles } from '../snapshots/vm-save-files';
import { StatsSampler } from '../stats/stats-sampler';
import { StorageService } from '../storage/storage-service';
import { VolumeTransfers } from '../storage/volume-transfers';
import { connectionHostDirectory } from '../vms/host-directory';
import { VmService } from '../vms/vm-service';
import { VmWindowOpener } from '../vm-windows/vm-window-opener';
import { EventHub } from './event-hub';
import type { Logger } from './logger';
import { PreferencesService } from './preferences-service';

export interface ServicesConfig {
  hostKind: HostKind;
  /** See config/config-dir.ts; created on first write. */
  configDir: string;
  logger: Logger;
  /** The OS keyring (Electron's safeStorage); without it passwords are asked each run. */
  secretCipher?: SecretCipher;
  /** Overrides for tests (first launch, local sockets, timings). */
  connections?: Omit<ConnectionManagerOptions, 'configDir' | 'events' | 'logger'>;
}

export interface Services {
  readonly config: ServicesConfig;
  readonly logger: Logger;
  readonly events: EventHub;
  readonly preferences: PreferencesService;
  /** Saved hosts and their links; started by the host (or the first 'connection:list'). */
  readonly connections: ConnectionManager;
  /** Every VM of every connected host, live from libvirt events; lifecycle actions. */
  readonly vms: VmService;
  /** Statistics of connected hosts, their history, per-VM detail subscriptions. */
  readonly stats: StatsSampler;
  /** VM consoles: tickets for the console WebSocket endpoint, keys, screenshots. */
  readonly consoles: Consoles;
  /** Edits of VM definitions (Details pages, XML tab): persistent, live where it can. */
  readonly domainEdit: DomainEditService;
  /** Storage pools and volumes of connected hosts. */
  readonly storage: StorageService;
  /** Volume uploads/downloads on separate bulk connections, with progress and cancel. */
  readonly transfers: VolumeTransfers;
  /** Virtual networks of connected hosts. */
  readonly networks: NetworkService;
  /** USB/PCI devices of connected hosts (node devices), for passthrough. */
  readonly hostDevices: HostDeviceService;
  /** Snapshot trees, their actions and thumbnails; 'snapshot:changed' events. */
  readonly snapshots: SnapshotService;
  /** Save a VM's memory to a file of the user's choosing, and restore from it. */
  readonly saveFiles: VmSaveFiles;
  /** The New VM wizard: OS list, host facts, checks, XML preview, creation with rollback. */
  readonly newVm: NewVmService;
  /** Cloning VMs on their host: plan, clone with progress, cancel. */
  readonly clone: CloneService;
  /** A VM's own window: made by the Electron host, absent in the web host. */
  readonly vmWindows: VmWindowOpener;
  /** Moving VMs between connected hosts: checks, migration with progress, cancel. */
  readonly migrations: MigrationService;
  readonly appInfo: AppInfo;
  /** Releases what the services hold (connections, timers) before the host exits. */
  dispose(): Promise<void>;
}

/**
 * Builds every main-process service, each given what it needs through its constructor. The
 * one place both hosts (Electron, web) and integration tests wire the app: no singletons.
 */
export async function createServices(config: ServicesConfig): Promise<Services> {
  const { logger } = config;
  const events = new EventHub(logger);
  const preferences = new PreferencesService({ configDir: config.configDir, events, logger });
  // Read now so a bad preferences file is reported at start-up, not at first use.
  await preferences.load();
  const connections = new ConnectionManager({
    secretStore: await createSecretStore(config.configDir, config.secretCipher, logger),
    ...config.connections,
    configDir: config.configDir,
    events,
    logger,
  });
  const hosts = connectionHostDirectory(connections, events);
  const vms = new VmService({ hosts, events, logger });
  vms.start();
  const domainEdit = new DomainEditService({
    hosts,
    logger,
    nameOf: (connectionId, uuid) => vms.list(connectionId).vms.find((vm) => vm.uuid === uuid)?.name,
  });
  const storage = new StorageService({ hosts, events, logger });
  storage.follow();
  const transfers = new VolumeTransfers({ hosts, events });
  const networks = new NetworkService({ hosts, events, logger });
  networks.follow();
  const snapshots = new SnapshotService({
    hosts,
    events,
    logger,
    thumbnails: new SnapshotThumbnails(config.configDir),
  });
  snapshots.start();
  const saveFiles = new VmSaveFiles({ hosts });
  const newVm = new NewVmService({
    hosts,
    events,
    logger,
    pools: (connectionId) => storage.listPools(connectionId),
  });
  const stats = new StatsSampler({ hosts, events, logger, preferences: () => preferences.get() });
  await stats.start();
  const consoles = createConsoles({
    connections,
    events,
    logger,
    ...(config.connections?.local ? { local: config.connections.local } : {}),
    ...(config.connections?.sshConfigPath !== undefined
      ? { sshConfigPath: config.connections.sshConfigPath }
      : {}),
  });
  return {
    config,
    logger,
    events,
    preferences,
    connections,
    vms,
    stats,
    consoles,
    domainEdit,
    storage,
    transfers,
    networks,
    hostDevices: new HostDeviceService({ hosts }),
    snapshots,
    saveFiles,
    newVm,
    clone: new CloneService({ hosts, events, logger }),
    vmWindows: new VmWindowOpener(),
    migrations: new MigrationService({
      hosts,
      events,
      logger,
      uriOf: (id) => connections.store.list().find((c) => c.id === id)?.uri,
      moved: (from, to) => {
        void vms.reread(from);
        void vms.reread(to);
      },
    }),
    appInfo: { ...appIdentity, hostKind: config.hostKind, platform: process.platform },
    dispose: async () => {
      consoles.dispose();
      stats.dispose();
      snapshots.dispose();
      newVm.dispose();
      vms.dispose();
      storage.dispose();
      networks.dispose();
      await connections.dispose();
    },
  };
}
