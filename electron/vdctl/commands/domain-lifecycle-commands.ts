import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { LibvirtClient } from '../../libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainResume,
  domainShutdown,
  domainStart,
  domainSuspend,
  domainUndefine,
  type DomainRef,
} from '../../libvirt/facade/domain';
import { lookupDomain } from '../lookup-object';
import type { CommandContext, VdctlCommand } from '../vdctl-command';
import { CommandFailure, describeFailure } from '../vdctl-errors';

const DOMAIN_ARG = { name: 'domain', help: 'domain name, ID or UUID', required: true } as const;
// virsh refuses bigger XML files (VSH_MAX_XML_FILE); a domain definition is never near it.
const MAX_XML_BYTES = 10 * 1024 * 1024;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_XML_BYTES) throw new RangeError(`input is larger than ${MAX_XML_BYTES} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

/** FILE, or standard input for '-'. */
async function readXmlFile(ctx: CommandContext, file: string): Promise<string> {
  return describeFailure(`Failed to read file '${file}'`, async () => {
    const bytes = file === '-' ? await readAll(ctx.stdin) : await readFile(file);
    if (bytes.length > MAX_XML_BYTES)
      throw new RangeError(`file is larger than ${MAX_XML_BYTES} bytes`);
    return bytes.toString('utf8');
  });
}

function report(ctx: CommandContext, dom: DomainRef, result: string, text: string): void {
  if (ctx.out.json) ctx.out.document({ name: dom.name, uuid: dom.uuid, result });
  else ctx.out.text(`${text}\n`);
}

type Action = (c: LibvirtClient, dom: DomainRef) => Promise<unknown>;

/** start/shutdown/destroy/suspend/resume: look up, act, say what happened in virsh's words. */
function lifecycleCommand(
  name: string,
  summary: string,
  action: Action,
  result: string,
  done: (domain: string) => string,
): VdctlCommand {
  return {
    name,
    group: 'Domain',
    summary,
    synopsis: `${name} DOMAIN`,
    args: [DOMAIN_ARG],
    async run(ctx, args) {
      const c = await ctx.connect();
      const dom = await lookupDomain(c, args.required('domain'));
      await describeFailure(`Failed to ${name} domain '${dom.name}'`, () => action(c, dom));
      report(ctx, dom, result, done(dom.name));
    },
  };
}

const start: VdctlCommand = {
  name: 'start',
  group: 'Domain',
  summary: 'start a shut-off domain',
  synopsis: 'start DOMAIN',
  args: [DOMAIN_ARG],
  async run(ctx, args) {
    const c = await ctx.connect();
    const dom = await lookupDomain(c, args.required('domain'));
    // virsh checks this itself, before asking the daemon.
    if (dom.id >= 0) throw new CommandFailure('Domain is already active');
    const started = await describeFailure(`Failed to start domain '${dom.name}'`, () =>
      domainStart(c, dom),
    );
    report(ctx, started, 'started', `Domain '${dom.name}' started`);
  },
};

const define: VdctlCommand = {
  name: 'define',
  group: 'Domain',
  summary: 'define (but do not start) a domain from an XML file',
  synopsis: 'define [--validate] FILE',
  options: { validate: { type: 'boolean', help: "check the XML against libvirt's schema" } },
  args: [{ name: 'file', help: "XML file ('-' for standard input)", required: true }],
  async run(ctx, args) {
    const c = await ctx.connect();
    const file = args.required('file');
    const xml = await readXmlFile(ctx, file);
    const dom = await describeFailure(`Failed to define domain from ${file}`, () =>
      domainDefineXml(c, xml, { validate: args.flag('validate') }),
    );
    report(ctx, dom, 'defined', `Domain '${dom.name}' defined from ${file}`);
  },
};

const undefine: VdctlCommand = {
  name: 'undefine',
  group: 'Domain',
  summary: 'remove the persistent definition of a domain',
  synopsis: 'undefine [--managed-save] [--snapshots-metadata] [--nvram | --keep-nvram] DOMAIN',
  options: {
    'managed-save': { type: 'boolean', help: 'also remove its managed-save image' },
    'snapshots-metadata': { type: 'boolean', help: 'also remove its snapshot metadata' },
    nvram: { type: 'boolean', help: 'also delete its UEFI NVRAM file' },
    'keep-nvram': { type: 'boolean', help: 'keep its UEFI NVRAM file' },
  },
  args: [DOMAIN_ARG],
  async run(ctx, args) {
    if (args.flag('nvram') && args.flag('keep-nvram')) {
      throw new CommandFailure('Options --nvram and --keep-nvram are mutually exclusive');
    }
    const c = await ctx.connect();
    const dom = await lookupDomain(c, args.required('domain'));
    await describeFailure(`Failed to undefine domain '${dom.name}'`, () =>
      domainUndefine(c, dom, {
        managedSave: args.flag('managed-save'),
        snapshotsMetadata: args.flag('snapshots-metadata'),
        nvram: args.flag('nvram'),
        keepNvram: args.flag('keep-nvram'),
      }),
    );
    report(ctx, dom, 'undefined', `Domain '${dom.name}' has been undefined`);
  },
};

export const domainLifecycleCommands: readonly VdctlCommand[] = [
  define,
  undefine,
  start,
  lifecycleCommand(
    'shutdown',
    'ask a domain to power off',
    (c, dom) => domainShutdown(c, dom),
    'shutting-down',
    (d) => `Domain '${d}' is being shutdown`,
  ),
  lifecycleCommand(
    'destroy',
    'power a domain off at once',
    (c, dom) => domainDestroy(c, dom),
    'destroyed',
    (d) => `Domain '${d}' destroyed`,
  ),
  lifecycleCommand(
    'suspend',
    'pause a running domain',
    (c, dom) => domainSuspend(c, dom),
    'suspended',
    (d) => `Domain '${d}' suspended`,
  ),
  lifecycleCommand(
    'resume',
    'resume a paused domain',
    (c, dom) => domainResume(c, dom),
    'resumed',
    (d) => `Domain '${d}' resumed`,
  ),
];
