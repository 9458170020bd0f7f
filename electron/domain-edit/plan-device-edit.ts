import type {
  DiskSourceInput,
  DomainEdit,
  InterfaceSourceInput,
} from '../../shared/contract/domain-edit';
import {
  addDevice,
  createDiskElement,
  createElement,
  createGraphicsElement,
  createInterfaceElement,
  documentRoot,
  findDevice,
  getDevice,
  parseXml,
  readDisk,
  readInterface,
  removeDevice,
  replaceDevice,
  serializeElement,
  setDiskDriver,
  setDiskReadonly,
  setDiskSerial,
  setDiskShareable,
  setDiskSource,
  setDiskTarget,
  setGraphicsKeymap,
  setGraphicsListen,
  setGraphicsPassword,
  setGraphicsPort,
  setInterfaceLinkState,
  setInterfaceMac,
  setInterfaceModel,
  setInterfaceSource,
  setAttribute,
  updateDeviceChild,
  XmlParseError,
  type DiskSourceSpec,
  type XmlDocument,
  type XmlElement,
} from '../../shared/xml';
import { hotplugBlocker } from './device-hotplug';
import { editInvalid, pendingPart, xmlEdit, type EditPlan, type LiveContext } from './edit-plan';
import { liveBandwidthBlocker, liveIotune, updateBandwidth, updateIotune } from './plan-io-limits';

export type DeviceEdit = Extract<
  DomainEdit,
  {
    kind: `add${string}` | 'removeDevice' | 'setDiskMedia' | `update${string}` | 'replaceDeviceXml';
  }
>;
type Of<K extends DeviceEdit['kind']> = Extract<DeviceEdit, { kind: K }>;
type Update = (el: XmlElement) => XmlElement;

const AT_NEXT_BOOT = 'Takes effect after the next shutdown';

function diskSource(source: DiskSourceInput): DiskSourceSpec {
  return source;
}

/** One device element from the user's XML; its syntax errors name the line. */
function parseDevice(xml: string): XmlElement {
  try {
    return documentRoot(parseXml(xml));
  } catch (err) {
    if (err instanceof XmlParseError)
      throw editInvalid(`The device XML is not well-formed: ${err.message}`, 'xml');
    throw err;
  }
}

function nicElement(edit: Of<'addInterface'>): XmlElement {
  let nic =
    edit.source.type === 'user'
      ? createElement('interface', { type: 'user' })
      : createInterfaceElement({ source: edit.source, ...(edit.mac ? { mac: edit.mac } : {}) });
  if (edit.source.type === 'user' && edit.mac) nic = setInterfaceMac(nic, edit.mac);
  nic = setInterfaceModel(nic, edit.model ?? 'virtio');
  return edit.linkState ? setInterfaceLinkState(nic, edit.linkState) : nic;
}

/** A user-mode NIC has no `<source>` (nor a virtualport). */
function nicSource(nic: XmlElement, source: InterfaceSourceInput): XmlElement {
  if (source.type !== 'user') return setInterfaceSource(nic, source);
  let next = setAttribute(nic, 'type', 'user');
  for (const child of ['source', 'virtualport']) {
    next = updateDeviceChild(next, child, () => null, { create: false });
  }
  return next;
}

function addPlan(before: XmlDocument, device: XmlElement, live: LiveContext | undefined): EditPlan {
  const after = xmlEdit('xml', () => addDevice(before, device));
  if (!live) return { after, live: [], pending: [] };
  const blocker = hotplugBlocker(device);
  if (blocker)
    return {
      after,
      live: [],
      pending: [pendingPart(`device:${device.name}`, `New ${device.name}`, blocker)],
    };
  return {
    after,
    live: [{ op: 'attach', action: `hot-plug the new ${device.name}` }],
    pending: [],
  };
}

/**
 * A device update: `update` makes the persistent change; `liveUpdate` (when the change has a
 * part the running VM takes) makes it on the running device, which update-device then gets.
 */
function updatePlan(
  before: XmlDocument,
  id: string,
  update: Update,
  live: LiveContext | undefined,
  liveUpdate: { update: Update; action: string } | undefined,
  pendingReason: string | undefined,
  label: string,
): EditPlan {
  const after = xmlEdit('id', () =>
    replaceDevice(before, id, update(getDevice(before, id).element)),
  );
  const plan: EditPlan = { after, live: [], pending: [] };
  if (!live) return plan;
  const running = findDevice(live.doc, id);
  if (!running) {
    plan.pending.push(
      pendingPart(`device:${id}`, label, 'The running VM does not have this device yet'),
    );
    return plan;
  }
  if (liveUpdate) {
    const xml = serializeElement(liveUpdate.update(running.element));
    plan.live.push({ op: 'update', xml, action: liveUpdate.action });
  }
  if (pendingReason) plan.pending.push(pendingPart(`device:${id}`, label, pendingReason));
  return plan;
}

function interfacePlan(
  edit: Of<'updateInterface'>,
  before: XmlDocument,
  live: LiveContext | undefined,
): EditPlan {
  const device = getDevice(before, edit.id).element;
  const now = readInterface(device);
  const update: Update = (nic) => {
    let next = nic;
    if (edit.model !== undefined)
      next = xmlEdit('model', () => setInterfaceModel(next, edit.model));
    if (edit.source !== undefined) {
      const source = edit.source;
      next = xmlEdit('source', () => nicSource(next, source));
    }
    if (edit.mac !== undefined) next = xmlEdit('mac', () => setInterfaceMac(next, edit.mac));
    if (edit.linkState !== undefined) next = setInterfaceLinkState(next, edit.linkState);
    if (edit.bandwidth !== undefined) next = updateBandwidth(next, edit.bandwidth);
    return next;
  };
  const reasons: string[] = [];
  if (edit.mac !== undefined && edit.mac.toLowerCase() !== now.mac) {
    reasons.push('The MAC address can be changed only while the VM is shut off');
  }
  if (edit.model !== undefined && edit.model !== now.model)
    reasons.push('The NIC model changes at the next start');
  if (edit.source !== undefined) reasons.push('The NIC source changes at the next start');
  const { linkState, bandwidth } = edit;
  const running = live && findDevice(live.doc, edit.id);
  const bandwidthBlocker = running && bandwidth && liveBandwidthBlocker(running.element);
  if (bandwidthBlocker) reasons.push(bandwidthBlocker);
  const liveBandwidth = bandwidth && !bandwidthBlocker ? bandwidth : undefined;
  const actions = [
    ...(linkState ? [`set the link of ${edit.id} ${linkState}`] : []),
    ...(liveBandwidth ? [`set the bandwidth of ${edit.id}`] : []),
  ];
  const liveUpdate =
    actions.length > 0
      ? {
          update: (nic: XmlElement) => {
            const linked = linkState ? setInterfaceLinkState(nic, linkState) : nic;
            return liveBandwidth ? updateBandwidth(linked, liveBandwidth) : linked;
          },
          action: actions.join('; '),
        }
      : undefined;
  return updatePlan(
    before,
    edit.id,
    update,
    live,
    liveUpdate,
    reasons.join('; ') || undefined,
    `NIC ${now.mac ?? edit.id}`,
  );
}

function graphicsPlan(
  edit: Of<'updateGraphics'>,
  before: XmlDocument,
  live: LiveContext | undefined,
): EditPlan {
  if (edit.autoport === false && edit.port === undefined)
    throw editInvalid('A fixed port needs a port number', 'port');
  const update: Update = (g) => {
    let next = g;
    if (edit.autoport !== undefined || edit.port !== undefined) {
      const choice =
        edit.autoport === true || edit.port === undefined
          ? { autoport: true as const }
          : { autoport: false as const, port: edit.port };
      next = xmlEdit('port', () => setGraphicsPort(next, choice));
    }
    if (edit.listen !== undefined) {
      const listen = edit.listen;
      next = xmlEdit('listen', () => setGraphicsListen(next, listen));
    }
    if (edit.passwd !== undefined) next = setGraphicsPassword(next, edit.passwd);
    if (edit.keymap !== undefined)
      next = xmlEdit('keymap', () => setGraphicsKeymap(next, edit.keymap));
    return next;
  };
  const others =
    edit.autoport !== undefined ||
    edit.port !== undefined ||
    edit.listen !== undefined ||
    edit.keymap !== undefined;
  const passwd = edit.passwd;
  const liveUpdate =
    passwd !== undefined
      ? {
          update: (g: XmlElement) => setGraphicsPassword(g, passwd),
          action: 'change the display password',
        }
      : undefined;
  return updatePlan(
    before,
    edit.id,
    update,
    live,
    liveUpdate,
    others ? AT_NEXT_BOOT : undefined,
    `Display ${edit.id}`,
  );
}

/** Plans the edits of one device: add, remove, change, or replace its XML. */
export function planDeviceEdit(
  edit: DeviceEdit,
  before: XmlDocument,
  live: LiveContext | undefined,
): EditPlan {
  switch (edit.kind) {
    case 'addDisk': {
      const source = edit.source && diskSource(edit.source);
      const disk = xmlEdit('target', () =>
        createDiskElement({
          source,
          device: edit.device,
          target: edit.target,
          ...(edit.driverType ? { driverType: edit.driverType } : {}),
          ...(edit.readonly !== undefined ? { readonly: edit.readonly } : {}),
        }),
      );
      if (findDevice(before, `disk:${edit.target.dev}`)) {
        throw editInvalid(`The VM already has a disk ${edit.target.dev}`, 'target.dev');
      }
      return addPlan(before, disk, live);
    }
    case 'addInterface':
      return addPlan(
        before,
        xmlEdit('source', () => nicElement(edit)),
        live,
      );
    case 'addGraphics':
      return addPlan(
        before,
        xmlEdit('listen', () =>
          createGraphicsElement({
            type: edit.type,
            ...(edit.listen ? { listen: edit.listen } : {}),
            ...(edit.port !== undefined ? { port: edit.port } : {}),
          }),
        ),
        live,
      );
    case 'addDeviceXml':
      return addPlan(before, parseDevice(edit.xml), live);
    case 'removeDevice': {
      const after = xmlEdit('id', () => removeDevice(before, edit.id));
      const plan: EditPlan = { after, live: [], pending: [] };
      const running = live && findDevice(live.doc, edit.id);
      if (!running) return plan;
      const blocker = hotplugBlocker(running.element);
      if (blocker)
        plan.pending.push(pendingPart(`device:${edit.id}`, `Remove ${edit.id}`, blocker));
      else
        plan.live.push({
          op: 'detach',
          xml: serializeElement(running.element),
          action: `hot-unplug ${edit.id}`,
        });
      return plan;
    }
    case 'setDiskMedia': {
      const disk = readDisk(getDeviceOrInvalid(before, edit.id));
      if (disk.device !== 'cdrom' && disk.device !== 'floppy') {
        throw editInvalid(`${edit.id} is a ${disk.device}, not a CD-ROM or floppy drive`, 'id');
      }
      const spec = edit.source && diskSource(edit.source);
      const update: Update = (d) => xmlEdit('source', () => setDiskSource(d, spec));
      const action = spec ? `insert the medium into ${edit.id}` : `eject the medium of ${edit.id}`;
      return updatePlan(
        before,
        edit.id,
        update,
        live,
        { update, action },
        undefined,
        `Drive ${edit.id}`,
      );
    }
    case 'updateDisk': {
      getDeviceOrInvalid(before, edit.id);
      const update: Update = (d) => {
        let next = d;
        if (edit.source !== undefined) {
          const source = diskSource(edit.source);
          next = xmlEdit('source', () => setDiskSource(next, source));
        }
        if (edit.bus !== undefined)
          next = xmlEdit('bus', () => setDiskTarget(next, { bus: edit.bus }));
        if (edit.cache !== undefined || edit.io !== undefined || edit.discard !== undefined) {
          next = setDiskDriver(next, {
            ...(edit.cache !== undefined ? { cache: edit.cache } : {}),
            ...(edit.io !== undefined ? { io: edit.io } : {}),
            ...(edit.discard !== undefined ? { discard: edit.discard } : {}),
          });
        }
        if (edit.readonly !== undefined) next = setDiskReadonly(next, edit.readonly);
        if (edit.shareable !== undefined) next = setDiskShareable(next, edit.shareable);
        if (edit.serial !== undefined)
          next = xmlEdit('serial', () => setDiskSerial(next, edit.serial));
        if (edit.iotune !== undefined) next = updateIotune(next, edit.iotune);
        return next;
      };
      const { kind: _kind, id: _id, iotune, ...others } = edit;
      const nextBoot = Object.values(others).some((v) => v !== undefined);
      const plan = updatePlan(
        before,
        edit.id,
        update,
        live,
        undefined,
        nextBoot ? AT_NEXT_BOOT : undefined,
        `Disk ${edit.id}`,
      );
      const running = live && findDevice(live.doc, edit.id);
      if (running && iotune !== undefined) {
        const dev = readDisk(running.element).target.dev ?? '';
        plan.live.push({
          op: 'blockIoTune',
          disk: dev,
          limits: liveIotune(running.element, iotune),
          action: `set the I/O limits of ${edit.id}`,
        });
      }
      return plan;
    }
    case 'updateInterface':
      getDeviceOrInvalid(before, edit.id);
      return interfacePlan(edit, before, live);
    case 'updateGraphics':
      getDeviceOrInvalid(before, edit.id);
      return graphicsPlan(edit, before, live);
    case 'replaceDeviceXml': {
      const old = getDeviceOrInvalid(before, edit.id);
      const device = parseDevice(edit.xml);
      if (device.name !== old.name) {
        throw editInvalid(
          `${edit.id} is a <${old.name}>; the XML describes a <${device.name}>`,
          'xml',
        );
      }
      return updatePlan(before, edit.id, () => device, live, undefined, AT_NEXT_BOOT, edit.id);
    }
  }
}

function getDeviceOrInvalid(doc: XmlDocument, id: string): XmlElement {
  const entry = findDevice(doc, id);
  if (!entry) throw editInvalid(`This VM has no device ${id}`, 'id');
  return entry.element;
}
