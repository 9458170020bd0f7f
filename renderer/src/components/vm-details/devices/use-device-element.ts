import { computed } from 'vue';
import { findDevice, parseXml, type DeviceEntry } from '../../../../../shared/xml';
import { useDomainEditorStore, type DomainTarget } from '../../../stores/domain-editor';

export interface DevicePageProps {
  target: DomainTarget;
  deviceId: string;
}

/**
 * The device a page shows, read from the persistent XML libvirt last returned (never a local
 * copy), whether the VM runs, and what of this device waits for the next shutdown.
 */
export function useDeviceElement(props: DevicePageProps) {
  const store = useDomainEditorStore();
  const entry = computed(() => store.entry(props.target));
  const device = computed<DeviceEntry | undefined>(() => {
    const xml = entry.value.xml;
    if (xml === null) return undefined;
    return findDevice(parseXml(xml), props.deviceId);
  });
  const running = computed(() => entry.value.active);
  const pending = computed(() =>
    entry.value.pending.filter(
      (p) =>
        p.part === `device:${props.deviceId}` || p.part.startsWith(`device:${props.deviceId}.`),
    ),
  );
  return { entry, device, running, pending };
}
