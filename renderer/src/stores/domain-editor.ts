import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type {
  CpuChoices,
  DomainEdit,
  DomainEditPreview,
  DomainEditResult,
  DomainXml,
  PendingChange,
} from '../../../shared/contract';
import type { VmWindowTab } from '../../../shared/contract/vm-window';
import { call } from '../api/client';
import { vmWindowRouteHash } from '../components/vm-window/vm-window-route';
import { vmKey } from './vms';

export interface DomainTarget {
  connectionId: string;
  uuid: string;
}

export interface EditOptions {
  /** Only the persistent definition, even while the VM runs. */
  persistentOnly?: boolean;
}

/** What the VM window knows of one VM's definition. */
export interface DomainEditorEntry {
  /** The persistent XML as libvirt last returned it; null until loaded. */
  xml: string | null;
  live: string | null;
  active: boolean;
  pending: PendingChange[];
  loading: boolean;
  /**
   * The XML tab's unsaved text. Kept here, not in the component, so it survives switching
   * tabs, closing the tab's view and a dropped connection; cleared only by Apply or Revert.
   */
  draft: string | null;
}

function emptyEntry(): DomainEditorEntry {
  return { xml: null, live: null, active: false, pending: [], loading: false, draft: null };
}

/**
 * One VM's definition as the VM window edits it. Every edit goes through the backend's
 * preview/apply pair (components never call the backend), and the entry is refreshed from
 * libvirt's answer, so the pages always show what libvirt stored, never a local guess.
 */
export const useDomainEditorStore = defineStore('domainEditor', () => {
  const entries = reactive(new Map<string, DomainEditorEntry>());

  function entry(target: DomainTarget): DomainEditorEntry {
    const key = vmKey(target);
    let found = entries.get(key);
    if (!found) {
      entries.set(key, emptyEntry());
      found = entries.get(key)!;
    }
    return found;
  }

  function store(target: DomainTarget, xml: DomainXml): void {
    const e = entry(target);
    e.xml = xml.xml;
    e.live = xml.live ?? null;
    e.active = xml.active;
    e.pending = xml.pending;
  }

  /** Reads the definition again (after an event, or when the window opens). */
  async function load(target: DomainTarget): Promise<DomainXml> {
    const e = entry(target);
    e.loading = true;
    try {
      const xml = await call('domain:getXml', target);
      store(target, xml);
      return xml;
    } finally {
      e.loading = false;
    }
  }

  function preview(
    target: DomainTarget,
    edit: DomainEdit,
    options: EditOptions = {},
  ): Promise<DomainEditPreview> {
    return call('domain:previewEdit', { ...target, edit, ...options });
  }

  async function apply(
    target: DomainTarget,
    edit: DomainEdit,
    options: EditOptions = {},
  ): Promise<DomainEditResult> {
    const result = await call('domain:applyEdit', { ...target, edit, ...options });
    const e = entry(target);
    e.xml = result.xml;
    e.pending = result.pending;
    // The live XML changed too when something was applied live; read it back rather than guess.
    if (e.active && result.liveActions.length > 0) await load(target);
    return result;
  }

  function previewXml(
    target: DomainTarget,
    xml: string,
  ): Promise<{ before: string; diff: string }> {
    return call('domain:previewXml', { ...target, xml });
  }

  /** Defines the whole XML with validation; on success the draft is done with. */
  async function applyXml(target: DomainTarget, xml: string): Promise<DomainEditResult> {
    const result = await call('domain:applyXml', { ...target, xml });
    const e = entry(target);
    e.xml = result.xml;
    e.pending = result.pending;
    e.draft = null;
    return result;
  }

  /** CPU modes and models the VM's emulator offers on its host (the CPUs page's choices). */
  function cpuChoices(target: DomainTarget): Promise<CpuChoices> {
    return call('domain:cpuChoices', { connectionId: target.connectionId, uuid: target.uuid });
  }

  async function rename(target: DomainTarget, name: string): Promise<void> {
    await call('domain:rename', { ...target, name });
    await load(target);
  }

  function setDraft(target: DomainTarget, text: string | null): void {
    entry(target).draft = text;
  }

  /**
   * The VM's own window: Electron opens (or focuses) one per VM; in a browser, a window
   * named after the VM on the same route, so asking again focuses it too.
   */
  async function openWindow(target: DomainTarget, tab?: VmWindowTab): Promise<void> {
    const request = { connectionId: target.connectionId, uuid: target.uuid };
    const { opened } = await call('vmWindow:open', tab ? { ...request, tab } : request);
    if (opened) return;
    const url = new URL(window.location.href);
    url.hash = vmWindowRouteHash({ ...request, tab: tab ?? null });
    window.open(url.href, `virtdeck-vm-${target.uuid}`, 'popup,width=1100,height=800');
  }

  return {
    entries,
    entry,
    load,
    preview,
    apply,
    previewXml,
    applyXml,
    rename,
    cpuChoices,
    setDraft,
    openWindow,
  };
});
