import { randomUUID } from 'node:crypto';
import type { ConsoleOpenResult, ConsoleTicket } from '../../../shared/contract/consoles';
import type { SavedConnection } from '../../../shared/contract/connections';
import { APP_SCHEME, APP_HOST } from '../../../electron/config/app-origin';
import { ConsoleServer } from '../../../electron/consoles/console-server';
import type { LibvirtClient } from '../../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainIsActive,
  domainUndefine,
  type DomainRef,
} from '../../../electron/libvirt/facade/domain';
import { startApp, type AppUnderTest } from '../connections/connection-test-support';
import { startGuest } from '../libvirt/facade/facade-fixture';

/** The Origin Electron's pages send: app://virtdeck */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export interface ConsoleApp {
  app: AppUnderTest;
  /** Electron's console endpoint on the same bridge. */
  server: ConsoleServer;
  stop(): Promise<void>;
}

/** The app's services plus Electron's loopback console endpoint. */
export async function startConsoleApp(
  options: Parameters<typeof startApp>[0] = {},
): Promise<ConsoleApp> {
  const app = await startApp(options);
  const bridge = app.services.consoles.service.bridge;
  const server = await ConsoleServer.start({ bridge, allowedOrigins: [APP_ORIGIN] });
  app.services.consoles.service.setEndpointOrigin(server.wsOrigin);
  return {
    app,
    server,
    async stop() {
      await server.stop();
      await app.stop();
    },
  };
}

/** Adds and connects a saved connection; returns its id. */
export async function connectHost(
  app: AppUnderTest,
  uri: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const saved = await app.ok<SavedConnection>('connection:add', {
    alias: `consoles-${randomUUID().slice(0, 6)}`,
    uri,
    ...extra,
  });
  const state = await app.ok<{ status: string }>('connection:connect', { id: saved.id });
  if (state.status !== 'connected') throw new Error(`not connected: ${JSON.stringify(state)}`);
  return saved.id;
}

/** Defines and starts a guest; the returned function destroys and undefines it. */
export async function runGuest(
  client: LibvirtClient,
  xml: string,
): Promise<{ dom: DomainRef; remove: () => Promise<void> }> {
  const defined = await domainDefineXml(client, xml);
  const dom = await startGuest(client, defined);
  return {
    dom,
    async remove() {
      if (await domainIsActive(client, defined).catch(() => false))
        await domainDestroy(client, defined);
      await domainUndefine(client, defined);
    },
  };
}

export function expectReady(result: ConsoleOpenResult): ConsoleTicket {
  if (result.status !== 'ready') {
    throw new Error(`console unavailable: ${result.problem}: ${result.message}`);
  }
  return result.ticket;
}

export function ticketUrl(ticket: ConsoleTicket, origin?: string): string {
  const base = origin ?? ticket.wsOrigin;
  if (!base) throw new Error('the ticket names no endpoint origin');
  return `${base}${ticket.path}`;
}
