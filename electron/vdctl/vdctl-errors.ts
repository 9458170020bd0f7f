/**
 * The command line was wrong (unknown option, missing argument). Nothing was attempted:
 * vdctl prints the message and a usage hint and exits with 2.
 */
export class UsageError extends Error {
  readonly usage = true as const;
  /** The command whose synopsis the hint shows; null for the global usage. */
  readonly command: string | null;

  constructor(message: string, command: string | null = null) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/**
 * A command failed and says what it was doing, like virsh's own line before libvirt's
 * ("Failed to start domain 'x'"). The cause (usually a LibvirtError) is printed after it.
 */
export class CommandFailure extends Error {
  readonly failure = true as const;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CommandFailure';
  }
}

/**
 * Runs `action`; if it throws, rethrows a CommandFailure with `message` and the original
 * error as its cause, so both lines reach the user.
 */
export async function describeFailure<T>(message: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new CommandFailure(message, { cause: error });
  }
}
