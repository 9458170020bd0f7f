import { VirtDeckError } from '../../shared/contract/errors';
import { toContractError } from '../handlers/to-contract-error';

/**
 * Wraps a failed action so the user reads which VM on which host it was about, while
 * libvirt's code, domain and its own message (after the colon) survive:
 * "Failed to shut down web01 on host1: Requested operation is not valid: domain is not running".
 */
export function vmActionError(
  verb: string,
  vm: string,
  alias: string,
  err: unknown,
): VirtDeckError {
  const cause = toContractError(err);
  // Our own refusals already name the VM and the host.
  if (err instanceof VirtDeckError && cause.kind === 'validation') return err;
  return new VirtDeckError({
    ...cause,
    message: `Failed to ${verb} ${vm} on ${alias}: ${cause.message}`,
  });
}

/** A refusal before anything was done (bad request for this VM's state). */
export function vmRefusal(message: string, path?: string): VirtDeckError {
  return new VirtDeckError({ kind: 'validation', message, ...(path ? { path } : {}) });
}
