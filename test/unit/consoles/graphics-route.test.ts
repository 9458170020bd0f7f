import { describe, expect, it } from 'vitest';
import type { GraphicsFacts } from '../../../electron/consoles/console-devices';
import { planGraphicsRoute } from '../../../electron/consoles/graphics-route';

const vnc = (over: Partial<GraphicsFacts> = {}): GraphicsFacts => ({
  index: 0,
  type: 'vnc',
  listenType: 'address',
  address: '127.0.0.1',
  socket: null,
  port: 5901,
  tlsPort: null,
  password: null,
  ...over,
});
const local = { transport: 'local' as const, uriHost: null, active: true };
const ssh = { transport: 'ssh' as const, uriHost: 'kvm1.example', active: true };
const tcp = { transport: 'tcp' as const, uriHost: 'kvm1.example', active: true };

describe('planGraphicsRoute', () => {
  it('connects locally to the listen address, a wildcard through loopback', () => {
    expect(planGraphicsRoute(vnc(), local)).toEqual({
      ok: true,
      kind: 'vnc',
      target: { kind: 'tcp', host: '127.0.0.1', port: 5901 },
      via: 'local',
    });
    expect(planGraphicsRoute(vnc({ address: '0.0.0.0' }), local)).toMatchObject({
      target: { host: '127.0.0.1' },
    });
    expect(planGraphicsRoute(vnc({ address: '::' }), local)).toMatchObject({
      target: { host: '::1' },
    });
    // No <listen> at all: QEMU's default vnc_listen, loopback.
    expect(planGraphicsRoute(vnc({ address: null }), local)).toMatchObject({
      target: { host: '127.0.0.1' },
    });
  });

  it('lets the SSH server connect, loopback listens and unix sockets included', () => {
    expect(planGraphicsRoute(vnc(), ssh)).toMatchObject({
      ok: true,
      via: 'ssh',
      target: { kind: 'tcp', host: '127.0.0.1', port: 5901 },
    });
    expect(
      planGraphicsRoute(
        vnc({ listenType: 'socket', address: null, socket: '/run/vnc.sock', port: null }),
        ssh,
      ),
    ).toMatchObject({ ok: true, via: 'ssh', target: { kind: 'unix', path: '/run/vnc.sock' } });
  });

  it('over plain TCP/TLS reaches only routable addresses, and says why not', () => {
    const loop = planGraphicsRoute(vnc(), tcp);
    expect(loop).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(loop.ok ? '' : loop.message).toMatch(/loopback.*over SSH/);
    expect(planGraphicsRoute(vnc({ address: '0.0.0.0' }), tcp)).toMatchObject({
      ok: true,
      via: 'local',
      target: { host: 'kvm1.example', port: 5901 },
    });
    expect(
      planGraphicsRoute(vnc({ address: '192.0.2.7' }), { ...tcp, transport: 'tls' }),
    ).toMatchObject({
      target: { host: '192.0.2.7' },
    });
    expect(
      planGraphicsRoute(vnc({ listenType: 'socket', socket: '/run/x.sock', address: null }), tcp),
    ).toMatchObject({ ok: false, problem: 'unreachable' });
  });

  it('names each problem: not running, listen none, TLS-only SPICE, other display types', () => {
    expect(planGraphicsRoute(vnc(), { ...local, active: false })).toMatchObject({
      problem: 'not-running',
    });
    expect(planGraphicsRoute(vnc({ listenType: 'none', address: null }), local)).toMatchObject({
      problem: 'listen-none',
    });
    expect(
      planGraphicsRoute(vnc({ type: 'spice', port: null, tlsPort: 5902 }), local),
    ).toMatchObject({
      problem: 'tls-only',
    });
    expect(planGraphicsRoute(vnc({ type: 'sdl' }), local)).toMatchObject({
      problem: 'unsupported-type',
    });
    expect(planGraphicsRoute(vnc({ port: null }), local)).toMatchObject({ problem: 'unreachable' });
  });
});
