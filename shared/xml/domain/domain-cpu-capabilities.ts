import { getAttribute } from '../element-attributes';
import { childElements, findElement } from '../element-query';
import { getText } from '../element-text';
import { documentRoot } from '../xml-document';
import type { XmlDocument } from '../xml-node';

export interface CpuModelCapability {
  readonly name: string;
  /** libvirt's verdict for this host and emulator: yes, no or unknown. */
  readonly usable: 'yes' | 'no' | 'unknown';
  readonly vendor: string | undefined;
}

export interface CpuCapabilities {
  readonly hostPassthrough: boolean;
  readonly hostModel: boolean;
  /** The named model host-model expands to, when libvirt says. */
  readonly hostModelName: string | undefined;
  readonly maximum: boolean;
  readonly custom: boolean;
  /** The models of mode custom, in libvirt's order. */
  readonly models: readonly CpuModelCapability[];
}

/** The `<cpu>` part of `virsh domcapabilities` (the domainCapabilities XML). */
export function readCpuCapabilities(doc: XmlDocument): CpuCapabilities {
  const root = documentRoot(doc);
  const cpu = root.name === 'domainCapabilities' ? findElement(root, 'cpu') : undefined;
  const modes = cpu ? childElements(cpu, 'mode') : [];
  const mode = (name: string) => modes.find((m) => getAttribute(m, 'name') === name);
  const supported = (name: string): boolean => {
    const m = mode(name);
    return m !== undefined && getAttribute(m, 'supported') === 'yes';
  };
  const hostModel = mode('host-model');
  const hostModelEl = hostModel && findElement(hostModel, 'model');
  const custom = mode('custom');
  const models = (custom ? childElements(custom, 'model') : []).flatMap((m) => {
    const name = getText(m)?.trim();
    if (!name) return [];
    const usable = getAttribute(m, 'usable');
    return [
      {
        name,
        usable: usable === 'yes' || usable === 'no' ? usable : 'unknown',
        vendor: getAttribute(m, 'vendor'),
      } as const,
    ];
  });
  return {
    hostPassthrough: supported('host-passthrough'),
    hostModel: supported('host-model'),
    hostModelName: hostModelEl ? getText(hostModelEl)?.trim() : undefined,
    maximum: supported('maximum'),
    custom: supported('custom'),
    models,
  };
}
