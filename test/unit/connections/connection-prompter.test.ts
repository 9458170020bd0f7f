import { describe, expect, it } from 'vitest';
import type { ConnectionPrompt } from '../../../shared/contract/connections';
import { ConnectionPrompter } from '../../../electron/connections/connection-prompter';
import { MemorySecretStore } from '../../../electron/connections/memory-secret-store';
import { PromptBroker } from '../../../electron/connections/prompt-broker';
import { EventHub } from '../../../electron/services/event-hub';
import { createRecordingLogger } from '../electron/recording-logger';

/** Answers every prompt the way the UI would, from a script, recording what was shown. */
function setup(
  answers: Array<{ answer: string; remember?: boolean } | 'cancel' | 'accept'>,
  persistent = true,
) {
  const events = new EventHub(createRecordingLogger());
  const broker = new PromptBroker({ events });
  const shown: ConnectionPrompt[] = [];
  const waiting: Array<string | null> = [];
  events.subscribe((e) => {
    if (e.name !== 'connection:prompt') return;
    const prompt = e.payload as ConnectionPrompt;
    shown.push(prompt);
    const next = answers.shift() ?? 'cancel';
    queueMicrotask(() => {
      if (next === 'cancel' || next === 'accept')
        broker.answer({ action: next, promptId: prompt.promptId });
      else
        broker.answer({
          action: 'answer',
          promptId: prompt.promptId,
          answer: next.answer,
          remember: next.remember ?? false,
        });
    });
  });
  const sessionSecrets = new MemorySecretStore();
  const remembered = persistent ? new MemorySecretStore() : null;
  // A persistent-looking store for the test: the prompter only checks it is not null.
  const prompter = new ConnectionPrompter({
    connectionId: 'c1',
    alias: () => 'web01',
    broker,
    sessionSecrets,
    rememberedSecrets: remembered,
    onWaiting: (id) => waiting.push(id),
  });
  return { prompter, shown, waiting, sessionSecrets, remembered };
}

const password = { kind: 'password' as const, prompt: "u@h:22's password:", echo: false };

describe('ConnectionPrompter', () => {
  it('asks, keeps the answer for the run after success, remembers it only if asked', async () => {
    const { prompter, shown, waiting, sessionSecrets, remembered } = setup([{ answer: 'pw1' }]);
    prompter.beginAttempt();
    expect(await prompter.askSecret(password)).toBe('pw1');
    expect(shown[0]).toMatchObject({
      kind: 'password',
      alias: 'web01',
      canRemember: true,
      echo: false,
    });
    expect(waiting).toEqual([shown[0]?.promptId, null]);
    await prompter.endAttempt(false);
    expect(await sessionSecrets.get('c1', 'password')).toBe('pw1');
    expect(await remembered?.get('c1', 'password')).toBeUndefined();
    // The next attempt (a reconnect) asks nobody.
    prompter.beginAttempt();
    expect(await prompter.askSecret(password)).toBe('pw1');
    expect(shown).toHaveLength(1);
  });

  it('forgets a known secret the server refused and asks instead; keeps nothing after an auth failure', async () => {
    const { prompter, shown, sessionSecrets, remembered } = setup([
      { answer: 'new', remember: true },
      { answer: 'wrong' },
    ]);
    await remembered?.set('c1', 'password', 'stale');
    prompter.beginAttempt();
    expect(await prompter.askSecret(password)).toBe('stale');
    expect(await prompter.askSecret(password)).toBe('new');
    expect(await remembered?.get('c1', 'password')).toBeUndefined();
    await prompter.endAttempt(false);
    expect(await remembered?.get('c1', 'password')).toBe('new');
    expect(await sessionSecrets.get('c1', 'password')).toBe('new');
    await sessionSecrets.delete('c1');
    await remembered?.delete('c1');
    prompter.beginAttempt();
    expect(await prompter.askSecret(password)).toBe('wrong');
    await prompter.endAttempt(true);
    expect(await sessionSecrets.get('c1', 'password')).toBeUndefined();
    expect(shown).toHaveLength(2);
  });

  it('answers host keys yes/no, treats a PAM "Password:" question as the password, cancels with null', async () => {
    const { prompter, shown } = setup(['accept', 'cancel', { answer: 'kbd' }, 'cancel']);
    prompter.beginAttempt();
    const key = { host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprintSha256: 'SHA256:x' };
    expect(await prompter.confirmHostKey(key)).toBe(true);
    expect(await prompter.confirmHostKey(key)).toBe(false);
    expect(shown[0]).toMatchObject({ kind: 'host-key', fingerprint: 'SHA256:x' });
    expect(
      await prompter.askSecret({ kind: 'keyboard-interactive', prompt: 'Password: ', echo: false }),
    ).toBe('kbd');
    expect(shown[2]).toMatchObject({ canRemember: true });
    expect(
      await prompter.askSecret({ kind: 'keyboard-interactive', prompt: 'OTP code: ', echo: true }),
    ).toBeNull();
    expect(shown[3]).toMatchObject({ canRemember: false, echo: true });
  });
});
