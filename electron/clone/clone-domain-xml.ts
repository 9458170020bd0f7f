import {
  childElement,
  childElements,
  documentRoot,
  getAttribute,
  parseXml,
  readDisk,
  removeAttribute,
  serializeXml,
  setAttribute,
  setDiskSource,
  setDomainName,
  setInterfaceMac,
  setText,
  updateRoot,
  type DiskSourceSpec,
  type XmlElement,
  type XmlNode,
} from '../../shared/xml';

/** What the clone's definition gets for one disk of the source, by target. */
export type CloneDiskRewrite = { kind: 'keep' } | { kind: 'drop' } | DiskSourceSpec;

export interface CloneDomainEdits {
  name: string;
  uuid: string;
  /** One new MAC per `<interface>`, in document order. */
  macs: readonly string[];
  /** By disk target; a disk without an entry is kept as it is (shared). */
  disks: ReadonlyMap<string, CloneDiskRewrite>;
  /** The clone's UEFI variable store; null leaves `<nvram>` without a path (libvirt picks one). */
  nvramPath: string | null;
}

function withChildren(el: XmlElement, children: readonly XmlNode[]): XmlElement {
  return { ...el, children };
}

/** Maps the element children of `el`; `null` removes one. Text between them is kept. */
function mapElements(el: XmlElement, map: (child: XmlElement) => XmlElement | null): XmlElement {
  const out: XmlNode[] = [];
  for (const child of el.children) {
    if (child.kind !== 'element') {
      out.push(child);
      continue;
    }
    const next = map(child);
    if (next) out.push(next);
  }
  return withChildren(el, out);
}

/**
 * Graphics with a fixed port would collide with the source's on start: the clone gets
 * automatic ports (what virt-clone does too), other settings (listen, password) stay.
 */
function graphicsWithAutoport(g: XmlElement): XmlElement {
  const fixed = ['port', 'tlsPort', 'websocket'].some((a) => {
    const v = getAttribute(g, a);
    return v !== undefined && v !== '-1';
  });
  if (!fixed && getAttribute(g, 'autoport') !== 'no') return g;
  let next = g;
  for (const a of ['port', 'tlsPort', 'websocket']) next = removeAttribute(next, a);
  return getAttribute(g, 'type') === 'vnc' || getAttribute(g, 'type') === 'spice'
    ? setAttribute(next, 'autoport', 'yes')
    : next;
}

function rewriteDevices(devices: XmlElement, edits: CloneDomainEdits): XmlElement {
  let nic = 0;
  return mapElements(devices, (dev) => {
    switch (dev.name) {
      case 'disk': {
        const target = readDisk(dev).target.dev;
        const rewrite = target === undefined ? undefined : edits.disks.get(target);
        if (!rewrite || rewrite.kind === 'keep') return dev;
        if (rewrite.kind === 'drop') return null;
        // The copy is a standalone image (create-from and block copy flatten the chain).
        const flat = mapElements(dev, (c) => (c.name === 'backingStore' ? null : c));
        return setDiskSource(flat, rewrite);
      }
      case 'interface': {
        const mac = edits.macs[nic++];
        if (mac === undefined) throw new Error('a new MAC is needed for every interface');
        // The host-side device name (vnetN, macvtapN) belongs to the source's running NIC.
        const noTarget = mapElements(dev, (c) =>
          c.name === 'target' && getAttribute(c, 'managed') !== 'no' ? null : c,
        );
        return setInterfaceMac(noTarget, mac);
      }
      case 'graphics':
        return graphicsWithAutoport(dev);
      default:
        return dev;
    }
  });
}

/** `<sysinfo><system><entry name='uuid'>` must equal the domain's UUID or libvirt refuses. */
function rewriteSysinfo(sysinfo: XmlElement, uuid: string): XmlElement {
  return mapElements(sysinfo, (system) =>
    system.name !== 'system'
      ? system
      : mapElements(system, (entry) =>
          entry.name === 'entry' && getAttribute(entry, 'name') === 'uuid'
            ? setText(entry, uuid)
            : entry,
        ),
  );
}

function rewriteOs(os: XmlElement, nvramPath: string | null): XmlElement {
  return mapElements(os, (el) => {
    if (el.name !== 'nvram') return el;
    // Keep the template: libvirt fills a missing variable store from it on first start.
    const bare = withChildren(el, []);
    return nvramPath === null ? bare : setText(bare, nvramPath);
  });
}

/**
 * The clone's definition from the source's persistent XML: new name and UUID, a new MAC on
 * every interface, each disk pointed at its copy (or left out, or shared), and no per-host
 * state — fixed graphics ports, interface device names, a generation ID, security labels
 * libvirt assigns per VM. Everything else (devices, tags, descriptions) is the source's.
 */
export function cloneDomainXml(sourceXml: string, edits: CloneDomainEdits): string {
  let doc = setDomainName(parseXml(sourceXml), edits.name);
  doc = updateRoot(doc, (root) =>
    mapElements(root, (el) => {
      switch (el.name) {
        case 'uuid':
          return setText(el, edits.uuid);
        case 'devices':
          return rewriteDevices(el, edits);
        case 'sysinfo':
          return rewriteSysinfo(el, edits.uuid);
        case 'os':
          return rewriteOs(el, edits.nvramPath);
        // An empty <genid/> makes libvirt generate a new one: a clone is a new generation.
        case 'genid':
          return withChildren(el, []);
        // A static label would give the clone the source's sVirt identity (and access to its
        // files); dynamic ones are regenerated per VM. Explicitly unconfined VMs stay so.
        case 'seclabel':
          return getAttribute(el, 'type') === 'none' ? el : null;
        default:
          return el;
      }
    }),
  );
  return serializeXml(doc);
}

/** The interfaces of a definition, for counting the MACs a clone needs. */
export function interfaceCount(xml: string): number {
  const devices = childElement(documentRoot(parseXml(xml)), 'devices');
  return devices ? childElements(devices, 'interface').length : 0;
}
