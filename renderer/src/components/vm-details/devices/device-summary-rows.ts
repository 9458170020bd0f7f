import { childElements, getText, type XmlElement } from '../../../../../shared/xml';

export interface DeviceSummaryRow {
  /** `type`, `model`, `source`, `driver/…` — where in the element the values sit. */
  label: string;
  value: string;
}

const SKIPPED: readonly string[] = ['alias', 'address'];

function describe(el: XmlElement): string {
  const parts = el.attributes.map((a) => `${a.name}=${a.value}`);
  const text = childElements(el).length === 0 ? (getText(el) ?? '').trim() : '';
  if (text) parts.push(text);
  return parts.join(', ');
}

/**
 * The main facts of any device, straight from its XML: its own attributes, then each child
 * (two levels deep) with its attributes and text. Addresses and aliases are libvirt's
 * bookkeeping and left out.
 */
export function deviceSummaryRows(device: XmlElement): DeviceSummaryRow[] {
  const rows: DeviceSummaryRow[] = device.attributes.map((a) => ({
    label: a.name,
    value: a.value,
  }));
  for (const child of childElements(device)) {
    if (SKIPPED.includes(child.name)) continue;
    const value = describe(child);
    rows.push({ label: child.name, value: value || '✓' });
    for (const grandchild of childElements(child)) {
      if (SKIPPED.includes(grandchild.name)) continue;
      rows.push({
        label: `${child.name} / ${grandchild.name}`,
        value: describe(grandchild) || '✓',
      });
    }
  }
  return rows;
}
