import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  connectionChannels,
  connectionDraftSchema,
  connectionPatchSchema,
  promptAnswerSchema,
  savedConnectionSchema,
} from '../../../shared/contract/connections';
import type {
  ConnectionDetails,
  ConnectionList,
  ConnectionState,
  ImportCandidates,
  ImportResult,
  SavedConnection,
} from '../../../shared/contract/connections';
import type { OutputOf } from '../../../shared/contract/channels';
import { contract } from '../../../shared/contract/channels';
import { eventNames } from '../../../shared/contract/events';
import type { EventMap } from '../../../shared/contract/events';

const draft = { alias: 'web01', uri: 'qemu+ssh://root@10.0.0.1/system' };

describe('connection schemas', () => {
  it('fills the defaults of a draft: no autoconnect, the agent on', () => {
    expect(connectionDraftSchema.parse(draft)).toEqual({
      ...draft,
      autoconnect: false,
      ssh: { useAgent: true },
    });
  });

  it.each(['web 01', 'web.01', 'wéb', 'a/b', 'x:y', '', 'a'.repeat(65)])(
    'refuses the alias %j',
    (alias) => {
      const result = connectionDraftSchema.safeParse({ ...draft, alias });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['alias']);
    },
  );

  it.each(['web01', 'Web-01', 'under_score', '0', 'a'.repeat(64)])(
    'accepts the alias %j',
    (alias) => {
      expect(connectionDraftSchema.safeParse({ ...draft, alias }).success).toBe(true);
    },
  );

  it('has no place for a password: unknown fields are refused, not dropped', () => {
    for (const extra of [{ password: 'hunter2' }, { ssh: { useAgent: true, password: 'x' } }]) {
      expect(connectionDraftSchema.safeParse({ ...draft, ...extra }).success).toBe(false);
    }
    const saved = {
      ...draft,
      id: '0b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c',
      autoconnect: true,
      ssh: { useAgent: false },
      origin: 'user',
    };
    expect(savedConnectionSchema.safeParse(saved).success).toBe(true);
    expect(savedConnectionSchema.safeParse({ ...saved, passphrase: 'x' }).success).toBe(false);
  });

  it('checks ports, colours and origins', () => {
    const bad = [
      { ...draft, ssh: { useAgent: true, port: 0 } },
      { ...draft, ssh: { useAgent: true, port: 65536 } },
      { ...draft, colour: 'red' },
    ];
    for (const input of bad) expect(connectionDraftSchema.safeParse(input).success).toBe(false);
    expect(connectionPatchSchema.parse({ colour: null, description: null })).toEqual({
      colour: null,
      description: null,
    });
  });

  it('answers are one of answer / accept / cancel, for a UUID prompt', () => {
    const promptId = '0b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c';
    expect(promptAnswerSchema.parse({ action: 'answer', promptId, answer: 's3cret' })).toEqual({
      action: 'answer',
      promptId,
      answer: 's3cret',
      remember: false,
    });
    expect(promptAnswerSchema.safeParse({ action: 'accept', promptId }).success).toBe(true);
    expect(promptAnswerSchema.safeParse({ action: 'cancel', promptId: 'nope' }).success).toBe(
      false,
    );
    expect(promptAnswerSchema.safeParse({ action: 'ok', promptId }).success).toBe(false);
  });

  it('puts every connection channel in the one contract table and every event in the list', () => {
    for (const name of Object.keys(connectionChannels)) expect(contract).toHaveProperty([name]);
    expect(eventNames).toEqual(
      expect.arrayContaining([
        'connection:state',
        'connection:prompt',
        'connection:promptClosed',
        'connection:changed',
      ]),
    );
  });

  it('pins the output types', () => {
    expectTypeOf<OutputOf<'connection:list'>>().toEqualTypeOf<ConnectionList>();
    expectTypeOf<OutputOf<'connection:add'>>().toEqualTypeOf<SavedConnection>();
    expectTypeOf<OutputOf<'connection:connect'>>().toEqualTypeOf<ConnectionState>();
    expectTypeOf<OutputOf<'connection:details'>>().toEqualTypeOf<ConnectionDetails>();
    expectTypeOf<OutputOf<'connection:importCandidates'>>().toEqualTypeOf<ImportCandidates>();
    expectTypeOf<OutputOf<'connection:import'>>().toEqualTypeOf<ImportResult>();
    expectTypeOf<OutputOf<'connection:buildUri'>>().toEqualTypeOf<{ uri: string }>();
    expectTypeOf<EventMap['connection:state']>().toEqualTypeOf<{
      connectionId: string;
      state: ConnectionState;
    }>();
  });
});
