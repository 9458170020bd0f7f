import type { ConsoleSerialDevice } from '../../shared/contract/consoles';
import type { VmState } from '../../shared/contract/vms';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import {
  domainGetState,
  domainGetXml,
  domainLookup,
  type DomainRef,
} from '../libvirt/facade/domain';
import { VIR_ERR_OPERATION_DENIED } from '../libvirt/protocol/constants.gen';
import { isActiveState, vmStateOf } from '../vms/vm-state';
import {
  parseDomainXml,
  readGraphicsFacts,
  readSerialDevices,
  type GraphicsFacts,
} from './console-devices';

export interface ConsoleTargetFacts {
  dom: DomainRef;
  state: VmState;
  active: boolean;
  graphics: GraphicsFacts[];
  serials: ConsoleSerialDevice[];
  /** The XML could not be read in secure form (read-only link): passwords are hidden. */
  passwordUnknown: boolean;
}

/**
 * The VM's live definition with its display passwords (VIR_DOMAIN_XML_SECURE; a read-only
 * connection may not ask for that, then the passwords stay unknown) and its state. Read
 * afresh every time: autoport assigns the port at each start.
 */
export async function readConsoleTarget(
  client: LibvirtClient,
  uuid: string,
): Promise<ConsoleTargetFacts> {
  const dom = await domainLookup(client, uuid);
  const [stateInfo, xml] = await Promise.all([
    domainGetState(client, dom),
    domainGetXml(client, dom, { secure: true }).then(
      (text) => ({ text, secure: true }),
      async (err: unknown) => {
        if (!isLibvirtError(err, VIR_ERR_OPERATION_DENIED)) throw err;
        return { text: await domainGetXml(client, dom), secure: false };
      },
    ),
  ]);
  const { state } = vmStateOf(stateInfo.state, stateInfo.reason, false);
  const doc = parseDomainXml(xml.text);
  return {
    dom,
    state,
    active: isActiveState(state),
    graphics: readGraphicsFacts(doc),
    serials: readSerialDevices(doc),
    passwordUnknown: !xml.secure,
  };
}
