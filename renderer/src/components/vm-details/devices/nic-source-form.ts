import type { InterfaceSourceInput } from '../../../../../shared/contract';
import type { InterfaceView } from '../../../../../shared/xml';
import { macvtapModes, type MacvtapMode } from './device-choices';

export interface NicSourceForm {
  type: 'network' | 'bridge' | 'direct' | 'user';
  network: string;
  bridge: string;
  dev: string;
  mode: MacvtapMode;
}

export function emptyNicSource(network = ''): NicSourceForm {
  return { type: 'network', network, bridge: '', dev: '', mode: 'vepa' };
}

/** Null for types the form cannot edit (ethernet, hostdev, vhostuser…): the XML can. */
export function nicSourceForm(view: InterfaceView): NicSourceForm | null {
  const type = view.type;
  if (type !== 'network' && type !== 'bridge' && type !== 'direct' && type !== 'user') return null;
  const mode = macvtapModes.find((m) => m === view.source.mode) ?? 'vepa';
  return {
    type,
    network: view.source.network ?? '',
    bridge: view.source.bridge ?? '',
    dev: view.source.dev ?? '',
    mode,
  };
}

/** The edit's source, or null while the chosen type's fields are empty. */
export function nicSourceInput(form: NicSourceForm): InterfaceSourceInput | null {
  switch (form.type) {
    case 'network':
      return form.network ? { type: 'network', network: form.network } : null;
    case 'bridge':
      return form.bridge.trim() ? { type: 'bridge', bridge: form.bridge.trim() } : null;
    case 'direct':
      return form.dev.trim() ? { type: 'direct', dev: form.dev.trim(), mode: form.mode } : null;
    case 'user':
      return { type: 'user' };
  }
}
