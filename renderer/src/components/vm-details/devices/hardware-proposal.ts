import type { DomainEdit } from '../../../../../shared/contract';

/** What an Add Hardware form offers to add: the edit, and work to do once confirmed. */
export interface HardwareProposal {
  edit: DomainEdit;
  prepare?: () => Promise<void>;
}
