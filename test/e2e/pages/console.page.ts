import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../../harness/wait-for';

/** Where each viewer draws: noVNC's canvas, or spice-html5's primary surface. */
const CANVAS: Record<'vnc' | 'spice', string> = {
  vnc: '[data-testid="vnc-screen"] canvas',
  spice: '[data-testid="spice-screen"] canvas',
};

/** The parts of a 2D canvas the pixel check reads (this file is typed without the DOM). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}

/**
 * A console as the user sees it (the detached console page, or a ConsoleView embedded
 * elsewhere): its toolbar, its state, and the picture its viewer drew.
 */
export class ConsolePage {
  constructor(readonly page: Page) {}

  /** The detached console page of a VM (`#/console/<connection>/<uuid>`). */
  static async open(
    page: Page,
    baseUrl: string,
    connectionId: string,
    uuid: string,
  ): Promise<ConsolePage> {
    await page.goto(`${baseUrl}#/console/${connectionId}/${uuid}`);
    const view = new ConsolePage(page);
    await view.toolbar.waitFor({ timeout: 30_000 });
    return view;
  }

  get toolbar(): Locator {
    return this.page.getByRole('toolbar', { name: 'Console toolbar' });
  }

  /** The state panel for a trouble (`vm-stopped`, `wrong-password`, …). */
  trouble(name: string): Locator {
    return this.page.locator(`[data-trouble="${name}"]`);
  }

  async waitConnected(timeoutMs = 30_000): Promise<void> {
    await this.page.locator('.console-view[data-connected="true"]').waitFor({ timeout: timeoutMs });
  }

  /** Pixels of the viewer's canvas that differ from its first pixel (0: blank or absent). */
  variety(kind: 'vnc' | 'spice' = 'vnc'): Promise<number> {
    return this.page.evaluate((selector) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } })
        .document;
      const canvas = doc.querySelector(selector) as CanvasLike | null;
      const context = canvas?.getContext('2d');
      if (!canvas || !context || canvas.width === 0) return 0;
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let differ = 0;
      for (let i = 4; i < data.length; i += 4) {
        if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differ++;
      }
      return differ;
    }, CANVAS[kind]);
  }

  /** Waits until the viewer shows a drawn picture (the firmware's text); returns its variety. */
  waitForPicture(kind: 'vnc' | 'spice' = 'vnc', what = 'a non-blank display', timeoutMs = 30_000) {
    return waitFor(
      async () => {
        const n = await this.variety(kind);
        return n > 500 ? n : undefined;
      },
      { what, timeoutMs, intervalMs: 250 },
    );
  }
}
