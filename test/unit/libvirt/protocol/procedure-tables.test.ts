import { describe, expect, it } from 'vitest';
import {
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  keepaliveProcedures,
  keepaliveProceduresByNumber,
} from '../../../../electron/libvirt/protocol/keepalive.gen';
import {
  LXC_PROGRAM,
  LxcClient,
  lxcProcedures,
} from '../../../../electron/libvirt/protocol/lxc.gen';
import {
  QEMU_PROGRAM,
  QemuClient,
  qemuEvents,
  qemuProcedures,
} from '../../../../electron/libvirt/protocol/qemu.gen';
import {
  REMOTE_PROGRAM,
  REMOTE_PROTOCOL_VERSION,
  RemoteClient,
  RemoteProcedure,
  remoteEvents,
  remoteEventsByNumber,
  remoteProcedures,
  remoteProceduresByNumber,
} from '../../../../electron/libvirt/protocol/remote.gen';
import type { ProcedureInfo, RpcCaller } from '../../../../electron/libvirt/rpc/procedure';

const all = Object.entries(remoteProcedures) as [string, ProcedureInfo<unknown, unknown>][];

/** Records what the generated client hands to the connection layer. */
class RecordingCaller implements RpcCaller {
  readonly calls: { proc: ProcedureInfo<unknown, unknown>; args: unknown }[] = [];
  call<A, R>(proc: ProcedureInfo<A, R>, args: A): Promise<R> {
    this.calls.push({ proc: proc as ProcedureInfo<unknown, unknown>, args });
    return Promise.resolve(undefined as R);
  }
}

function methodOf(key: string): string {
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

describe('remote procedure table (libvirt 9.0.0)', () => {
  it('has 443 procedures with unique numbers, the right program and full names', () => {
    expect(all).toHaveLength(443);
    expect(new Set(all.map(([, p]) => p.proc)).size).toBe(443);
    expect(Object.keys(RemoteProcedure)).toHaveLength(443);
    for (const [key, p] of all) {
      expect(p.name).toBe(`REMOTE_PROC_${key}`);
      expect(p.program).toBe(0x20008086);
      expect(p.version).toBe(1);
      expect(RemoteProcedure[p.name as keyof typeof RemoteProcedure]).toBe(p.proc);
      expect(Object.isFrozen(p)).toBe(true);
    }
    expect(REMOTE_PROGRAM).toBe(0x20008086);
    expect(REMOTE_PROTOCOL_VERSION).toBe(1);
  });

  it('numbers the procedures people get wrong by hand correctly', () => {
    expect(remoteProcedures.CONNECT_OPEN.proc).toBe(1);
    expect(remoteProcedures.AUTH_LIST.proc).toBe(66);
    expect(remoteProcedures.DOMAIN_RESUME.proc).toBe(28);
    expect(remoteProcedures.DOMAIN_UNDEFINE.proc).toBe(35);
    expect(remoteProcedures.CONNECT_GET_ALL_DOMAIN_STATS.proc).toBe(344);
    expect(remoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY.proc).toBe(316);
    expect(remoteProcedures.DOMAIN_FD_ASSOCIATE.proc).toBe(443);
  });

  it('looks procedures up by number', () => {
    expect(remoteProceduresByNumber.size).toBe(443);
    expect(remoteProceduresByNumber.get(35)).toBe(remoteProcedures.DOMAIN_UNDEFINE);
    expect(remoteProceduresByNumber.get(0)).toBeUndefined();
  });

  it('takes stream directions from the annotations, with the console/channel overrides', () => {
    const streams = Object.fromEntries(
      all.filter(([, p]) => p.stream !== 'none').map(([k, p]) => [k, p.stream]),
    );
    expect(streams).toEqual({
      DOMAIN_MIGRATE_PREPARE_TUNNEL: 'write',
      DOMAIN_OPEN_CONSOLE: 'both',
      STORAGE_VOL_UPLOAD: 'write',
      STORAGE_VOL_DOWNLOAD: 'read',
      DOMAIN_SCREENSHOT: 'read',
      DOMAIN_MIGRATE_PREPARE_TUNNEL3: 'write',
      DOMAIN_OPEN_CHANNEL: 'both',
    });
  });

  it('takes priority from @priority, defaulting to low', () => {
    expect(remoteProcedures.DOMAIN_LOOKUP_BY_NAME.priority).toBe('high');
    expect(remoteProcedures.DOMAIN_DESTROY.priority).toBe('high');
    expect(remoteProcedures.CONNECT_GET_CAPABILITIES.priority).toBe('low');
    expect(all.filter(([, p]) => p.priority === 'high').length).toBeGreaterThan(100);
  });

  it('has args/ret codecs exactly where the .x has _args/_ret structs', () => {
    const count = (pred: (p: ProcedureInfo<unknown, unknown>) => boolean): number =>
      all.filter(([, p]) => pred(p)).length;
    expect(count((p) => p.args !== null && p.ret !== null)).toBe(222);
    expect(count((p) => p.args !== null && p.ret === null)).toBe(142);
    expect(count((p) => p.args === null && p.ret !== null)).toBe(25);
    expect(count((p) => p.args === null && p.ret === null)).toBe(51 + 3);
    expect(remoteProcedures.CONNECT_CLOSE.args).toBeNull();
    expect(remoteProcedures.CONNECT_CLOSE.ret).toBeNull();
  });

  it('lists every event procedure with a msg codec', () => {
    const events = Object.entries(remoteEvents);
    expect(events).toHaveLength(51);
    for (const [key, e] of events) {
      expect(typeof e.msg.decode, key).toBe('function');
      expect(typeof e.msg.encode, key).toBe('function');
      expect(remoteProcedures[key as keyof typeof remoteProcedures].proc).toBe(e.proc);
      expect(remoteEventsByNumber.get(e.proc)).toBe(e);
    }
    // Every *EVENT* procedure that is not a (de)registration is an event.
    const eventLike = all
      .filter(([k]) => /(^|_)EVENT_/.test(k) && !/REGISTER/.test(k))
      .map(([k]) => k)
      .sort();
    expect(eventLike).toEqual(events.map(([k]) => k).sort());
    expect(remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE.proc).toBe(318);
    expect(remoteEvents.DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE.proc).toBe(438);
  });
});

describe('typed clients', () => {
  it('RemoteClient has one method per plain (non-event, non-stream) procedure', async () => {
    const caller = new RecordingCaller();
    const client = new RemoteClient(caller);
    const isStream = (k: string) =>
      remoteProcedures[k as keyof typeof remoteProcedures].stream !== 'none';
    const callable = all.filter(([k]) => !(k in remoteEvents) && !isStream(k));
    // 443 procedures, 51 events, 7 stream procedures (used through callWithStream).
    expect(callable).toHaveLength(443 - 51 - 7);
    for (const [key] of all.filter(([k]) => isStream(k))) {
      expect((client as unknown as Record<string, unknown>)[methodOf(key)], key).toBeUndefined();
    }
    for (const [key] of callable) {
      expect(typeof (client as unknown as Record<string, unknown>)[methodOf(key)], key).toBe(
        'function',
      );
    }
    for (const [key] of all.filter(([k]) => k in remoteEvents)) {
      expect((client as unknown as Record<string, unknown>)[methodOf(key)], key).toBeUndefined();
    }
    await client.connectOpen({ name: 'test:///default', flags: 0 });
    await client.authList();
    expect(caller.calls).toEqual([
      { proc: remoteProcedures.CONNECT_OPEN, args: { name: 'test:///default', flags: 0 } },
      { proc: remoteProcedures.AUTH_LIST, args: undefined },
    ]);
  });

  it('QemuClient and LxcClient cover their programs', async () => {
    const caller = new RecordingCaller();
    const dom = { name: 'vm', uuid: new Uint8Array(16), id: 1 };
    await new QemuClient(caller).domainMonitorCommand({
      dom,
      cmd: '{"execute":"query-status"}',
      flags: 0,
    });
    await new LxcClient(caller).domainOpenNamespace({ dom, flags: 0 });
    expect(caller.calls.map((c) => [c.proc.program, c.proc.name])).toEqual([
      [QEMU_PROGRAM, 'QEMU_PROC_DOMAIN_MONITOR_COMMAND'],
      [LXC_PROGRAM, 'LXC_PROC_DOMAIN_OPEN_NAMESPACE'],
    ]);
  });
});

describe('qemu, lxc and keepalive tables', () => {
  it('qemu has procs 1-7 and the monitor event', () => {
    expect(QEMU_PROGRAM).toBe(0x20008087);
    expect(Object.values(qemuProcedures).map((p) => p.proc)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(qemuEvents)).toEqual(['DOMAIN_MONITOR_EVENT']);
    expect(qemuEvents.DOMAIN_MONITOR_EVENT.proc).toBe(6);
  });

  it('lxc has its one procedure', () => {
    expect(LXC_PROGRAM).toBe(0x00068000);
    expect(Object.keys(lxcProcedures)).toEqual(['DOMAIN_OPEN_NAMESPACE']);
  });

  it('keepalive PING/PONG carry no payload', () => {
    expect(KEEPALIVE_PROGRAM).toBe(0x6b656570);
    expect(KEEPALIVE_PROTOCOL_VERSION).toBe(1);
    expect(keepaliveProcedures.PING).toMatchObject({
      proc: 1,
      args: null,
      ret: null,
      name: 'KEEPALIVE_PROC_PING',
    });
    expect(keepaliveProcedures.PONG).toMatchObject({
      proc: 2,
      args: null,
      ret: null,
      name: 'KEEPALIVE_PROC_PONG',
    });
    expect(keepaliveProceduresByNumber.get(2)).toBe(keepaliveProcedures.PONG);
  });
});
