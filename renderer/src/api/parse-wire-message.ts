import { z } from 'zod';
import {
  eventNames,
  type ErrorKind,
  type EventEnvelope,
  type WireToClient,
} from '../../../shared/contract';

const errorKinds = [
  'libvirt',
  'validation',
  'transport',
  'internal',
] as const satisfies readonly ErrorKind[];
// Fails to compile if ErrorKind gains a member the list above does not have.
const _allKindsListed: ErrorKind extends (typeof errorKinds)[number] ? true : never = true;

const contractErrorSchema = z.object({
  kind: z.enum(errorKinds),
  message: z.string(),
  code: z.number().optional(),
  domain: z.number().optional(),
  codeName: z.string().optional(),
  path: z.string().optional(),
});

const resultSchema = z.discriminatedUnion('ok', [
  // A void channel's value is undefined, which JSON leaves out of the message.
  z
    .object({ ok: z.literal(true), value: z.unknown().optional() })
    .transform((r) => ({ ok: r.ok, value: r.value as unknown })),
  z.object({ ok: z.literal(false), error: contractErrorSchema }),
]);

const wireToClientSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().positive(), result: resultSchema }),
  z.object({
    type: z.literal('event'),
    event: z.object({ name: z.string(), payload: z.unknown() }),
  }),
]);

export type ParsedWireMessage =
  | { ok: true; message: WireToClient }
  /** `id` is set when the message was a result we can still route, so its call can fail. */
  | { ok: false; problem: string; id?: number };

/**
 * Checks one text frame from the web host. The host is ours, but a version mismatch or a proxy
 * in between must give a clear failure, not a call that hangs or an event with a wrong shape.
 */
export function parseWireMessage(data: unknown): ParsedWireMessage {
  if (typeof data !== 'string') return { ok: false, problem: 'a binary frame on the text channel' };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    return { ok: false, problem: `a frame that is not JSON (${(error as Error).message})` };
  }
  const parsed = wireToClientSchema.safeParse(json);
  if (!parsed.success) {
    const id = idOf(json);
    const problem = `a malformed message: ${parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')}`;
    return id === undefined ? { ok: false, problem } : { ok: false, problem, id };
  }
  const message = parsed.data;
  if (message.type === 'result') return { ok: true, message };
  const name = message.event.name;
  if (!(eventNames as readonly string[]).includes(name)) {
    return { ok: false, problem: `an event this renderer does not know: "${name}"` };
  }
  // The payload comes from our own main process, like call outputs, so its shape is trusted.
  return { ok: true, message: { type: 'event', event: message.event as EventEnvelope } };
}

function idOf(json: unknown): number | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as { type?: unknown; id?: unknown };
  return record.type === 'result' && typeof record.id === 'number' ? record.id : undefined;
}
