import type {
  ConsoleKeyCombo,
  ConsoleReplaceResult,
  ConsoleScreenshot,
  ConsoleViewerFile,
} from '../../shared/contract/consoles';
import { VirtDeckError } from '../../shared/contract/errors';
import type { VmTarget } from '../../shared/contract/vms';
import { serializeXml } from '../../shared/xml';
import {
  domainDefineXml,
  domainGetXml,
  domainIsActive,
  domainLookup,
  domainScreenshot,
  domainSendKey,
} from '../libvirt/facade/domain';
import type { Logger } from '../services/logger';
import { parseDomainXml } from './console-devices';
import type { ConsoleService } from './console-service';
import { graphicsOpener } from './console-upstreams';
import { planGraphicsRoute } from './graphics-route';
import { keycodesFor } from './key-combos';
import { LocalPortForward } from './local-port-forward';
import { isPng, pngFromPpm } from './png-from-ppm';
import { readConsoleTarget } from './read-console-target';
import { planSpiceToVnc } from './spice-to-vnc';
import { buildViewerFile, viewerFileName } from './viewer-file';

/** How long a forward for an external viewer stays open without a connection. */
const FORWARD_IDLE_MS = 10 * 60_000;

/**
 * What the console window does besides showing the display: keys through libvirt,
 * screenshots, external viewer files, and Cockpit's "Replace SPICE with VNC".
 */
export class ConsoleActions {
  private readonly forwards = new Map<string, LocalPortForward>();

  constructor(
    private readonly consoles: ConsoleService,
    private readonly logger: Logger,
  ) {}

  async sendKeys(target: VmTarget, combo: ConsoleKeyCombo): Promise<{ combo: ConsoleKeyCombo }> {
    const { client } = this.consoles.requireLink(target.connectionId);
    const dom = await domainLookup(client, target.uuid);
    await domainSendKey(client, dom, {
      codeset: 'linux',
      holdtime: 0,
      keycodes: keycodesFor(combo),
    });
    return { combo };
  }

  async screenshot(target: VmTarget, screen = 0): Promise<ConsoleScreenshot> {
    const { client } = this.consoles.requireLink(target.connectionId);
    const dom = await domainLookup(client, target.uuid);
    const shot = await domainScreenshot(client, dom, screen);
    const png = isPng(shot.data) ? shot.data : pngFromPpm(shot.data);
    const stamp = new Date()
      .toISOString()
      .replace(/\.\d+Z$/, '')
      .replace(/:/g, '-');
    const base = viewerFileName(dom.name).replace(/\.vv$/, '');
    return {
      mime: 'image/png',
      dataBase64: png.toString('base64'),
      fileName: `${base}-${stamp}.png`,
    };
  }

  async viewerFile(target: VmTarget, index: number): Promise<ConsoleViewerFile> {
    const link = this.consoles.requireLink(target.connectionId);
    const facts = await readConsoleTarget(link.client, target.uuid);
    const device = facts.graphics[index];
    if (!device) {
      throw new VirtDeckError({
        kind: 'validation',
        message: `This VM has no display number ${index + 1}`,
      });
    }
    const plan = planGraphicsRoute(device, {
      transport: link.transport,
      uriHost: link.uriHost,
      active: facts.active,
    });
    if (!plan.ok) throw new VirtDeckError({ kind: 'validation', message: plan.message });
    const fileName = viewerFileName(facts.dom.name);
    const base = { type: plan.kind, password: device.password, title: facts.dom.name };
    // A display this machine reaches by TCP needs nothing more.
    if (plan.via === 'local' && plan.target.kind === 'tcp') {
      const content = buildViewerFile({ ...base, host: plan.target.host, port: plan.target.port });
      return { fileName, content, forwardedPort: null, forwardUntil: null };
    }
    const key = `${target.connectionId}/${facts.dom.uuid}/${index}/${JSON.stringify(plan.target)}`;
    let forward = this.forwards.get(key);
    if (forward) {
      forward.touch();
    } else {
      forward = await LocalPortForward.start({
        opener: graphicsOpener(link, plan.target, plan.via),
        idleMs: FORWARD_IDLE_MS,
        logger: this.logger,
        onClosed: () => this.forwards.delete(key),
      });
      this.forwards.set(key, forward);
    }
    const content = buildViewerFile({ ...base, host: '127.0.0.1', port: forward.port });
    return {
      fileName,
      content,
      forwardedPort: forward.port,
      forwardUntil: forward.closesAt || null,
    };
  }

  async planSpiceToVnc(target: VmTarget): Promise<ConsoleReplaceResult> {
    const { plan, active } = await this.spicePlan(target);
    return { changes: plan.changes, appliesAtNextBoot: active };
  }

  async replaceSpiceWithVnc(target: VmTarget): Promise<ConsoleReplaceResult> {
    const { client } = this.consoles.requireLink(target.connectionId);
    const { plan, active } = await this.spicePlan(target);
    if (plan.changes.length === 0) {
      throw new VirtDeckError({
        kind: 'validation',
        message: 'This VM has no SPICE display to replace',
      });
    }
    await domainDefineXml(client, serializeXml(plan.doc), { validate: true });
    return { changes: plan.changes, appliesAtNextBoot: active };
  }

  dispose(): void {
    for (const forward of [...this.forwards.values()]) forward.close();
  }

  private async spicePlan(target: VmTarget) {
    const { client } = this.consoles.requireLink(target.connectionId);
    const dom = await domainLookup(client, target.uuid);
    // The persistent definition, with passwords, so defining it back loses nothing.
    const [xml, active] = await Promise.all([
      domainGetXml(client, dom, { inactive: true, secure: true }),
      domainIsActive(client, dom),
    ]);
    return { plan: planSpiceToVnc(parseDomainXml(xml)), active };
  }
}
