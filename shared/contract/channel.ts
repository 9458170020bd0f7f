import type { z } from 'zod';

/**
 * A channel pairs a runtime input schema (validated at every border) with a compile-time
 * output type. The output is never validated: it is produced by our own main process.
 */
export interface ChannelDef<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom field carrying the output type; always undefined at run time. */
  readonly output?: O;
}

export const channel =
  <O>() =>
  <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input });
