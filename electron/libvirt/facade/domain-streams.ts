import type { Duplex } from 'node:stream';
import { finished } from 'node:stream/promises';
import { VIR_DOMAIN_CONSOLE_FORCE, VIR_DOMAIN_CONSOLE_SAFE } from '../protocol/constants.gen';
import { remoteProcedures } from '../protocol/remote.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefToRemote, type DomainRef } from './domain-ref';
import { flagBits } from './flag-bits';

export interface Screenshot {
  /** As the hypervisor reports it, e.g. 'image/png' (QEMU ≥ 7.1) or 'image/x-portable-pixmap'. */
  mime: string;
  data: Buffer;
}

// A screen is a few MiB at most; a daemon sending more is broken (or hostile).
const MAX_SCREENSHOT_BYTES = 256 * 1024 * 1024;

/** DOMAIN_SCREENSHOT: the stream is read to its end and finished before this returns. */
export async function domainScreenshot(
  c: LibvirtClient,
  dom: DomainRef,
  screen = 0,
): Promise<Screenshot> {
  if (!Number.isInteger(screen) || screen < 0) throw new TypeError(`bad screen number ${screen}`);
  const { ret, stream } = await c.connection.callWithStream(remoteProcedures.DOMAIN_SCREENSHOT, {
    dom: domainRefToRemote(dom),
    screen,
    flags: 0,
  });
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_SCREENSHOT_BYTES) {
      stream.destroy(new RangeError(`screenshot larger than ${MAX_SCREENSHOT_BYTES} bytes`));
      return;
    }
    chunks.push(chunk);
  });
  await finished(stream);
  return { mime: ret.mime ?? 'application/octet-stream', data: Buffer.concat(chunks, size) };
}

export interface OpenConsoleOptions {
  /** Console/serial alias (e.g. 'serial0'); default: the first console. */
  devName?: string;
  /** Take the console from another session that holds it. */
  force?: boolean;
  /** Only if the driver can guarantee exclusive, safe access. */
  safe?: boolean;
}

/**
 * DOMAIN_OPEN_CONSOLE: a bidirectional byte stream to the guest's serial console. `end()`
 * finishes it cleanly; `destroy()` aborts it. It dies with the connection.
 */
export async function domainOpenConsole(
  c: LibvirtClient,
  dom: DomainRef,
  options: OpenConsoleOptions = {},
): Promise<Duplex> {
  const flags = flagBits(
    [options.force, VIR_DOMAIN_CONSOLE_FORCE],
    [options.safe, VIR_DOMAIN_CONSOLE_SAFE],
  );
  const { stream } = await c.connection.callWithStream(remoteProcedures.DOMAIN_OPEN_CONSOLE, {
    dom: domainRefToRemote(dom),
    dev_name: options.devName ?? null,
    flags,
  });
  return stream;
}
