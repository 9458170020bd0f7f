import type { NewVmProblem, NewVmStep } from '../../../shared/contract/new-vm';
import { newVmSteps } from '../../../shared/contract/new-vm';
import { toContractError } from '../../handlers/to-contract-error';

/** Collects the problems of the steps up to `upTo`; later steps' problems are dropped. */
export class ProblemList {
  readonly problems: NewVmProblem[] = [];
  private readonly last: number;

  constructor(upTo: NewVmStep) {
    this.last = newVmSteps.indexOf(upTo);
  }

  wants(step: NewVmStep): boolean {
    return newVmSteps.indexOf(step) <= this.last;
  }

  error(step: NewVmStep, field: string, message: string): void {
    if (this.wants(step)) this.problems.push({ step, field, message, severity: 'error' });
  }

  warning(step: NewVmStep, field: string, message: string): void {
    if (this.wants(step)) this.problems.push({ step, field, message, severity: 'warning' });
  }

  /** A host call that failed: libvirt's own message, kept whole. */
  failure(step: NewVmStep, field: string, what: string, err: unknown): void {
    this.error(step, field, `${what}: ${toContractError(err).message}`);
  }
}
