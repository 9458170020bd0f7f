import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainIsActive,
  domainOpenConsole,
  domainUndefine,
  type DomainRef,
} from '../../../../electron/libvirt/facade/domain';
import {
  ensureTinyLinux,
  TINY_LINUX_READY_MARKER,
  TinyLinuxUnavailableError,
  tinyLinuxGuestXml,
  type TinyLinuxAssets,
} from '../../../harness/test-guests';
import { Cleanup, daemon, eventually, openClient, startGuest, uniqueName } from './facade-fixture';

const { qemuUri } = daemon();
const cleanup = new Cleanup();
let c: LibvirtClient;
let assets: TinyLinuxAssets | null = null;
let unavailable = '';

beforeAll(async () => {
  try {
    assets = await ensureTinyLinux();
  } catch (err) {
    if (!(err instanceof TinyLinuxUnavailableError)) throw err;
    unavailable = err.message;
  }
  c = await openClient(qemuUri, cleanup);
});
afterAll(() => cleanup.run());

describe('serial console stream with the tiny Linux guest', () => {
  it('carries bytes both ways: the boot marker out, a command in, its echo out', async (ctx) => {
    if (!assets) return ctx.skip(`tiny Linux guest cannot be built here: ${unavailable}`);
    const name = uniqueName('vd-console');
    const defined = await domainDefineXml(
      c,
      tinyLinuxGuestXml({ name, uuid: randomUUID(), ...assets }),
    );
    cleanup.add(`remove ${name}`, async () => {
      if (await domainIsActive(c, defined)) await domainDestroy(c, defined);
      await domainUndefine(c, defined);
    });
    const dom: DomainRef = await startGuest(c, defined);

    // Open at once: the kernel and /init print while we attach, the marker comes ~3 s later.
    const consoleStream = await domainOpenConsole(c, dom, { force: true });
    let text = '';
    consoleStream.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    const ended = new Promise<void>((resolve, reject) => {
      consoleStream.once('finish', resolve);
      consoleStream.once('error', reject);
    });
    await eventually(
      'the ready marker or a shell prompt on the console',
      () =>
        text.includes(TINY_LINUX_READY_MARKER) || text.includes('virtdeck-tiny# ')
          ? true
          : undefined,
      60_000,
    );

    const token = `vd-${randomInt(1_000_000)}-ok`;
    consoleStream.write(`echo ${token}\r`);
    // The shell echoes the typed line, then prints the word alone on its own line.
    await eventually(`the echoed ${token}`, () =>
      new RegExp(`\\n${token}\\r?\\n`).test(text) ? true : undefined,
    );

    // A clean finish: our STREAM/OK, the daemon's confirmation.
    consoleStream.end();
    await ended;
    // The guest is still there and the connection still serves calls.
    expect(await domainIsActive(c, dom)).toBe(true);
  });
});
