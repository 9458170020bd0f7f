import type { ChildOrder } from '../element-update';

const words = (list: string): readonly string[] => list.trim().split(/\s+/);

/**
 * libvirt's formatting order for the elements we create, keyed by their parent's path from
 * <domain>. New elements go where libvirt itself would write them, so a define → dumpxml
 * cycle does not move them. Checked against libvirt's test corpus in the unit tests.
 */
export const DOMAIN_CHILD_ORDERS: Readonly<Record<string, readonly string[]>> = {
  '': words(`name uuid genid title description metadata maxMemory memory currentMemory blkiotune
    memtune memoryBacking vcpu vcpus iothreads iothreadids defaultiothread cputune numatune
    resource sysinfo bootloader bootloader_args os idmap features cpu clock on_poweroff on_reboot
    on_crash on_lockfailure pm perf devices seclabel keywrap launchSecurity`),
  os: words(`type firmware init initarg initenv initdir inituser initgroup loader nvram kernel
    initrd cmdline dtb root acpi boot bootmenu smbios bios`),
  cpu: words('model vendor microcode topology cache maxphysaddr feature numa'),
  cputune: words(`shares period quota global_period global_quota emulator_period emulator_quota
    iothread_period iothread_quota vcpupin emulatorpin iothreadpin vcpusched iothreadsched
    emulatorsched cachetune memorytune`),
  memoryBacking: words('hugepages nosharepages locked source access allocation discard'),
  blkiotune: words('weight device'),
  numatune: words('memory memnode'),
  features: words(`acpi apic pae hap viridian privnet hyperv kvm pvspinlock capabilities pmu vmport
    gic smm ioapic hpt vmcoreinfo htm nested-hv msrs ccf-assist xen cfpc sbbc ibs tcg
    async-teardown`),
  clock: words('timer'),
  devices: words(`emulator disk controller lease filesystem interface smartcard serial parallel
    console channel input tpm graphics sound audio video hostdev redirdev redirfilter hub watchdog
    memballoon rng nvram panic shmem memory iommu vsock crypto`),
};

/** Child orders inside one device element, keyed by the device element's name. */
export const DEVICE_CHILD_ORDERS: Readonly<Record<string, readonly string[]>> = {
  disk: words(`driver auth source backingStore backenddomain geometry blockio mirror target iotune
    readonly shareable transient serial wwn vendor product encryption boot alias address`),
  interface: words(`mac source vlan virtualport bandwidth ip route script downscript backenddomain
    target guest model driver backend filterref tune teaming link mtu coalesce port boot alias rom
    address`),
  graphics: words(
    'listen channel image jpeg zlib playback streaming clipboard mouse filetransfer gl audio',
  ),
};

/** ChildOrder for paths under <domain>. */
export const domainChildOrder: ChildOrder = (path) => DOMAIN_CHILD_ORDERS[path.join('/')];

/** ChildOrder for paths under one device element. */
export const deviceChildOrder =
  (deviceName: string): ChildOrder =>
  (path) =>
    path.length === 0 ? DEVICE_CHILD_ORDERS[deviceName] : undefined;
