import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../shared/contract/events';
import { VirtDeckError } from '../../../shared/contract/errors';
import { PromptBroker } from '../../../electron/connections/prompt-broker';
import type { PromptQuestion } from '../../../electron/connections/prompt-broker';
import { EventHub } from '../../../electron/services/event-hub';
import { createRecordingLogger } from '../electron/recording-logger';

function setup(timeoutMs = 60_000) {
  const events = new EventHub(createRecordingLogger());
  const seen: EventEnvelope[] = [];
  events.subscribe((e) => seen.push(e));
  return { broker: new PromptBroker({ events, timeoutMs, now: () => 1000 }), seen };
}

const password: PromptQuestion = {
  kind: 'password',
  connectionId: 'c1',
  alias: 'web01',
  prompt: "root@10.0.0.1:22's password:",
  echo: false,
  canRemember: false,
};
const hostKey: PromptQuestion = {
  kind: 'host-key',
  connectionId: 'c2',
  alias: 'db',
  host: '10.0.0.2',
  port: 22,
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:abc',
};

describe('PromptBroker', () => {
  it('pushes the question, waits for the answer and says it closed', async () => {
    const { broker, seen } = setup();
    const reply = broker.ask(password);
    const prompt = seen[0]?.payload as { promptId: string };
    expect(seen[0]).toEqual({
      name: 'connection:prompt',
      payload: { ...password, promptId: prompt.promptId, expiresAt: 61_000 },
    });
    expect(broker.openPrompt('c1')).toMatchObject({ promptId: prompt.promptId });
    broker.answer({ action: 'answer', promptId: prompt.promptId, answer: 'pw', remember: true });
    expect(await reply).toEqual({ type: 'answer', answer: 'pw', remember: true });
    expect(seen[1]).toEqual({
      name: 'connection:promptClosed',
      payload: { promptId: prompt.promptId, connectionId: 'c1', reason: 'answered' },
    });
    expect(broker.openPrompt('c1')).toBeNull();
  });

  it('refuses an answer of the wrong kind and one to a closed question', async () => {
    const { broker, seen } = setup();
    const reply = broker.ask(hostKey);
    const { promptId } = seen[0]?.payload as { promptId: string };
    expect(() =>
      broker.answer({ action: 'answer', promptId, answer: 'yes', remember: false }),
    ).toThrow(VirtDeckError);
    broker.answer({ action: 'accept', promptId });
    expect(await reply).toEqual({ type: 'accept' });
    expect(() => broker.answer({ action: 'cancel', promptId })).toThrow(/no longer open/);
  });

  it('cancels on request, on disconnect of its connection, and after its deadline', async () => {
    const { broker, seen } = setup(50);
    const a = broker.ask(password);
    const b = broker.ask(hostKey);
    broker.cancelFor('c1');
    expect(await a).toEqual({ type: 'cancel', reason: 'cancelled' });
    expect(broker.openPrompt('c2')).not.toBeNull();
    expect(await b).toEqual({ type: 'cancel', reason: 'timeout' });
    expect(seen.filter((e) => e.name === 'connection:promptClosed').map((e) => e.payload)).toEqual([
      expect.objectContaining({ connectionId: 'c1', reason: 'cancelled' }),
      expect.objectContaining({ connectionId: 'c2', reason: 'timeout' }),
    ]);
  });
});
