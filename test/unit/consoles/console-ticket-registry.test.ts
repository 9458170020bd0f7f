import { describe, expect, it } from 'vitest';
import {
  ConsoleTicketRegistry,
  type TicketBinding,
} from '../../../electron/consoles/console-ticket-registry';

const binding = { connectionId: 'c', uuid: 'u', device: 'graphics:0' };

describe('ConsoleTicketRegistry', () => {
  it('issues unguessable path tokens and finds the entry only by its own token', () => {
    const registry = new ConsoleTicketRegistry<{ binding: TicketBinding }>();
    const a = registry.issue((b) => ({ binding: b }), binding);
    const b = registry.issue((full) => ({ binding: full }), binding);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.path).toBe(`/ws/console/${a.token}`);
    expect(a.token).not.toBe(b.token);
    expect(a.entry.binding.id).not.toBe(b.entry.binding.id);
    expect(registry.lookup(a.token)).toBe(a.entry);
    expect(registry.lookup(b.token)).toBe(b.entry);
    expect(
      registry.lookup(`${a.token.slice(0, -1)}${a.token.endsWith('A') ? 'B' : 'A'}`),
    ).toBeNull();
    expect(registry.lookup('')).toBeNull();
    expect(registry.lookup(a.entry.binding.id)).toBeNull();
  });

  it('forgets a revoked token', () => {
    const registry = new ConsoleTicketRegistry<{ binding: TicketBinding }>();
    const a = registry.issue((b) => ({ binding: b }), binding);
    registry.revoke(a.entry.binding.id);
    expect(registry.lookup(a.token)).toBeNull();
    expect(registry.byId(a.entry.binding.id)).toBeNull();
    expect(registry.entries()).toEqual([]);
  });
});
