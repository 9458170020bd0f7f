import type { z } from 'zod';
import { contract, isChannelName } from '../../shared/contract/channels';
import type { ChannelName, OutputOf, ParsedInputOf } from '../../shared/contract/channels';
import type { ContractError, Result } from '../../shared/contract/errors';
import type { Logger } from '../services/logger';
import { toContractError } from './to-contract-error';

/** Who is calling; hosts fill it in, handlers may use it to address replies and logs. */
export interface HandlerContext {
  /** e.g. 'ipc:webContents#1', 'ws:#3' */
  readonly caller: string;
}

export type Handler<C extends ChannelName> = (
  input: ParsedInputOf<C>,
  ctx: HandlerContext,
) => Promise<OutputOf<C>>;

/** One handler per contract channel: a missing or wrongly typed one does not compile. */
export type HandlerTable = { [C in ChannelName]: Handler<C> };

/** Part of the table, as one area's `create…Handlers(services)` returns it. */
export type HandlerTablePart<C extends ChannelName> = { [K in C]: Handler<K> };

/**
 * The one way into the main process, for both hosts: checks the channel, validates the
 * input against the contract (a bad one never reaches a handler), runs the handler and
 * turns every outcome into a `Result`. `dispatch` never rejects.
 */
export class HandlerRegistry {
  constructor(
    private readonly table: HandlerTable,
    private readonly logger: Logger,
  ) {}

  async dispatch(
    channel: unknown,
    rawInput: unknown,
    ctx: HandlerContext,
  ): Promise<Result<unknown>> {
    if (!isChannelName(channel)) {
      return { ok: false, error: { kind: 'validation', message: unknownChannelMessage(channel) } };
    }
    return this.call(channel, rawInput, ctx);
  }

  private async call<C extends ChannelName>(
    channel: C,
    rawInput: unknown,
    ctx: HandlerContext,
  ): Promise<Result<OutputOf<C>>> {
    const schema: z.ZodType = contract[channel].input;
    const parsed = schema.safeParse(rawInput);
    if (!parsed.success) return { ok: false, error: validationError(channel, parsed.error) };
    const handler: Handler<C> = this.table[channel];
    try {
      return { ok: true, value: await handler(parsed.data as ParsedInputOf<C>, ctx) };
    } catch (err) {
      const error = toContractError(err);
      if (error.kind === 'internal') {
        // A bug or an unexpected state: keep the stack for whoever reads the log.
        this.logger.error(`${channel} failed for ${ctx.caller}`, err);
      }
      return { ok: false, error };
    }
  }
}

function unknownChannelMessage(channel: unknown): string {
  if (typeof channel !== 'string') return `The channel must be a string, not ${typeof channel}`;
  const shown = channel.length > 80 ? `${channel.slice(0, 80)}…` : channel;
  return `Unknown channel ${JSON.stringify(shown)}`;
}

/** zod's own message for each problem, and where the first one is ("port", "disks.0.size"). */
function validationError(channel: ChannelName, error: z.ZodError): ContractError {
  const issues = error.issues.map((issue) => {
    const where = issue.path.map(String).join('.');
    return where ? `${issue.message} (at ${where})` : issue.message;
  });
  const first = error.issues[0]?.path.map(String).join('.');
  return {
    kind: 'validation',
    message: `Invalid input for ${channel}: ${issues.join('; ')}`,
    ...(first ? { path: first } : {}),
  };
}
