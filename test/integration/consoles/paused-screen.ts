import type { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import {
  domainResume,
  domainSuspend,
  type DomainRef,
} from '../../../electron/libvirt/facade/domain';
import { waitFor } from '../../harness/wait-for';
import { tcpPipe } from './byte-pipe';
import { distinctPixels, rfbProbe, type RfbTranscript } from './rfb-probe';

/** More pixels than this differ from the background once SeaBIOS has printed its text. */
export const DRAWN_PIXELS = 100;

async function directScreen(port: number): Promise<RfbTranscript> {
  const pipe = await tcpPipe(port);
  try {
    return await rfbProbe(pipe);
  } finally {
    pipe.close();
  }
}

/**
 * Pauses the firmware guest on a drawn screen that QEMU's VNC server has caught up with,
 * and returns that screen as a direct TCP client sees it. QEMU copies the guest's display
 * into the server's framebuffer on a refresh timer that keeps running while the guest is
 * paused, so right after the pause a client may still get an older picture — or a blank
 * one, if the pause fell on the firmware's reboot. Two equal, drawn reads in a row mean it
 * has settled; a blank settled screen is resumed and paused again later.
 */
export async function pauseOnDrawnScreen(
  client: LibvirtClient,
  dom: DomainRef,
  port: number,
): Promise<RfbTranscript> {
  return waitFor(
    async () => {
      await domainSuspend(client, dom);
      const settled = await waitFor(
        async () => {
          const first = await directScreen(port);
          const second = await directScreen(port);
          return first.update.equals(second.update) ? second : undefined;
        },
        { what: 'the paused screen to settle', timeoutMs: 30_000, intervalMs: 50 },
      );
      if (distinctPixels(settled) > DRAWN_PIXELS) return settled;
      await domainResume(client, dom);
      return undefined;
    },
    { what: 'a drawn firmware screen to pause on', timeoutMs: 90_000, intervalMs: 500 },
  );
}
