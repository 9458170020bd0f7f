import { computed } from 'vue';
import { parseXml, type XmlDocument } from '../../../../shared/xml';
import { useDomainEditorStore, type DomainTarget } from '../../stores/domain-editor';

/**
 * The persistent definition a Details page shows, parsed from what libvirt last returned
 * (never a local copy), and whether the VM runs now.
 */
export function useDomainDoc(target: () => DomainTarget) {
  const store = useDomainEditorStore();
  const entry = computed(() => store.entry(target()));
  const doc = computed<XmlDocument | null>(() => {
    const xml = entry.value.xml;
    if (xml === null) return null;
    try {
      return parseXml(xml);
    } catch {
      // libvirt's own XML always parses; a failure here is shown as "not loaded".
      return null;
    }
  });
  const running = computed(() => entry.value.active);
  return { entry, doc, running };
}
