import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type DomainEditChannel =
  | 'domain:getXml'
  | 'domain:pending'
  | 'domain:previewEdit'
  | 'domain:applyEdit'
  | 'domain:previewXml'
  | 'domain:applyXml'
  | 'domain:rename'
  | 'domain:cpuChoices';

/** Handlers for the Details pages' edits and the XML tab; inputs arrive validated. */
export function createDomainEditHandlers(
  services: Pick<Services, 'domainEdit'>,
): HandlerTablePart<DomainEditChannel> {
  const { domainEdit } = services;
  const target = (input: { connectionId: string; uuid: string }) => ({
    connectionId: input.connectionId,
    uuid: input.uuid,
  });
  return {
    'domain:getXml': async (input) => domainEdit.getXml(target(input)),
    'domain:pending': async (input) => domainEdit.pending(target(input)),
    'domain:previewEdit': async (input) => domainEdit.previewEdit(input),
    'domain:applyEdit': async (input) => domainEdit.applyEdit(input),
    'domain:previewXml': async (input) => domainEdit.previewXml(target(input), input.xml),
    'domain:applyXml': async (input) => domainEdit.applyXml(target(input), input.xml),
    'domain:rename': async (input) => domainEdit.rename(target(input), input.name),
    'domain:cpuChoices': async (input) => domainEdit.cpuChoices(target(input)),
  };
}
