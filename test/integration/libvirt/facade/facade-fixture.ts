import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  domainStart,
  type DomainRef,
  type DomainStartOptions,
} from '../../../../electron/libvirt/facade/domain';
import { runVirsh } from '../../../harness/run-virsh';
import '../../../harness/provided';

/** The private daemon of this test run (see test/harness/global-setup.ts). */
export function daemon(): { qemuUri: string; testUri: string; dir: string } {
  const { qemuUri, testUri, dir } = inject('libvirtd');
  return { qemuUri, testUri, dir };
}

/** `virsh -c <uri> …` that must succeed; returns its stdout (the reference we compare with). */
export async function virsh(uri: string, args: readonly string[]): Promise<string> {
  const r = await runVirsh(uri, args);
  if (r.code !== 0) {
    throw new Error(`virsh ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  }
  return r.stdout;
}

/**
 * XML virsh printed, ending in one newline as libvirt's documents do (virsh adds one or two
 * newlines of its own, depending on the command).
 */
export async function virshXml(uri: string, args: readonly string[]): Promise<string> {
  return (await virsh(uri, args)).replace(/\n+$/, '\n');
}

/** `virsh … ` expected to fail; returns its stderr. */
export async function virshFails(uri: string, args: readonly string[]): Promise<string> {
  const r = await runVirsh(uri, args);
  if (r.code === 0) throw new Error(`virsh ${args.join(' ')} unexpectedly succeeded: ${r.stdout}`);
  return r.stderr;
}

/** `Key:   value` lines of virsh dominfo / net-info / nodeinfo as a map. */
export function virshFields(output: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) fields.set(m[1].trim(), m[2].trim());
  }
  return fields;
}

/** Rows of a virsh table (after the dashed line), split on runs of 2+ spaces. */
export function virshTable(output: string): string[][] {
  const lines = output.split('\n');
  const dash = lines.findIndex((l) => /^-{5,}/.test(l.trim()));
  return lines
    .slice(dash + 1)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(/\s{2,}/));
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Cleanup steps run in reverse order; every step runs even if an earlier one failed, and
 * the first failure is rethrown at the end (a leaked guest must not hide).
 */
export class Cleanup {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> }> = [];

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  async run(): Promise<void> {
    const errors: Error[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        errors.push(new Error(`cleanup "${step.what}" failed`, { cause: err }));
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

/** Opens a client and registers its close in `cleanup`. */
export async function openClient(uri: string, cleanup: Cleanup): Promise<LibvirtClient> {
  const client = await LibvirtClient.open(uri);
  cleanup.add('close client', () => client.close());
  return client;
}

/** Polls until `probe` returns a value (not undefined); no fixed sleeps in tests. */
export async function eventually<T>(
  what: string | (() => string),
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * domainStart, retried when QEMU lost the race for its VNC port: every private daemon on
 * this machine (other test runs too) allocates 5900+ on its own, so two can pick the same
 * free port at once. Any other failure is thrown at once.
 */
export async function startGuest(
  c: LibvirtClient,
  dom: DomainRef,
  options: DomainStartOptions = {},
): Promise<DomainRef> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await domainStart(c, dom, options);
    } catch (err) {
      const portRace = err instanceof LibvirtError && /Address already in use/.test(err.message);
      if (!portRace || attempt >= 5) throw err;
    }
  }
}
