import { domainEventSources } from '../../libvirt/facade/domain-event-sources';
import type { DomainEvent, DomainEventKind } from '../../libvirt/facade/events';
import { eventTimestamp, formatDomainEvent } from '../format/domain-event-text';
import { toJsonValue } from '../format/json-format';
import { lookupDomain } from '../lookup-object';
import type { VdctlCommand } from '../vdctl-command';
import { UsageError } from '../vdctl-errors';

const KINDS = Object.keys(domainEventSources) as DomainEventKind[];

function isKind(name: string): name is DomainEventKind {
  return (KINDS as readonly string[]).includes(name);
}

type Outcome = 'done' | 'timeout' | 'interrupted' | 'closed';

function eventJson(event: DomainEvent, at: Date) {
  const { dom, kind, ...fields } = event;
  return toJsonValue({
    time: at.toISOString(),
    kind,
    domain: { name: dom.name, uuid: dom.uuid, id: dom.id >= 0 ? dom.id : null },
    ...fields,
  });
}

const event: VdctlCommand = {
  name: 'event',
  group: 'Monitoring',
  summary: 'wait for domain events and print them as they come',
  synopsis:
    'event [--domain DOMAIN] [--event KIND | --all] [--loop] [--timeout SECONDS] [--timestamp] | --list',
  handlesInterrupt: true,
  options: {
    domain: { type: 'string', valueName: 'DOMAIN', help: "only this domain's events" },
    event: { type: 'string', valueName: 'KIND', help: 'only this kind (see --list)' },
    all: { type: 'boolean', help: 'every kind (the default when --event is not given)' },
    loop: { type: 'boolean', help: 'keep printing until the timeout or Ctrl+C, not just one' },
    timeout: { type: 'string', valueName: 'SECONDS', help: 'stop after this many seconds' },
    timestamp: { type: 'boolean', help: 'prefix each event with the time it arrived' },
    list: { type: 'boolean', help: 'list the event kinds and exit' },
  },
  async run(ctx, args) {
    if (args.flag('list')) {
      if (ctx.out.json) ctx.out.document(KINDS);
      else ctx.out.text(KINDS.map((k) => `${k}\n`).join(''));
      return 0;
    }
    const kindArg = args.string('event');
    if (kindArg !== undefined && args.flag('all')) {
      throw new UsageError('--event and --all exclude each other', 'event');
    }
    if (kindArg !== undefined && !isKind(kindArg)) {
      throw new UsageError(`unknown event kind '${kindArg}' (see 'vdctl event --list')`, 'event');
    }
    const timeoutSec = args.seconds('timeout');
    const loop = args.flag('loop');

    const c = await ctx.connect();
    const domainArg = args.string('domain');
    const dom = domainArg === undefined ? undefined : await lookupDomain(c, domainArg);

    let count = 0;
    let finish: (outcome: Outcome) => void = () => {};
    const ended = new Promise<Outcome>((resolve) => (finish = resolve));
    const subscription = c.events.onDomainEvent(
      (e) => {
        const at = new Date();
        if (!loop && count > 0) return;
        count++;
        if (ctx.out.json) ctx.out.jsonLine(eventJson(e, at));
        else {
          const stamp = args.flag('timestamp') ? `${eventTimestamp(at)}: ` : '';
          ctx.out.text(`${stamp}${formatDomainEvent(e)}`);
        }
        if (!loop) finish('done');
      },
      { kinds: kindArg === undefined ? undefined : [kindArg], dom },
    );
    const timer =
      timeoutSec === undefined ? undefined : setTimeout(() => finish('timeout'), timeoutSec * 1000);
    const onAbort = () => finish('interrupted');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const stopClosed = c.onClosed(() => finish('closed'));
    try {
      await subscription.ready;
      // Scripts (and our tests) wait for this line before they cause the events.
      if (!ctx.out.quiet) {
        const what = kindArg === undefined ? 'domain events' : `'${kindArg}' events`;
        ctx.out.note(`Waiting for ${what}${dom ? ` of domain '${dom.name}'` : ''}...`);
      }
      const outcome = await ended;
      if (outcome === 'closed') throw new Error('the connection to the daemon was lost');
      if (!ctx.out.json) {
        if (outcome === 'timeout') ctx.out.text('event loop timed out\n');
        if (outcome === 'interrupted') ctx.out.text('event loop interrupted\n');
        ctx.out.text(`events received: ${count}\n`);
      }
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      stopClosed();
      subscription();
    }
    // virsh's convention: waiting for events and getting none is a failure.
    return count > 0 ? 0 : 1;
  },
};

export const eventCommands: readonly VdctlCommand[] = [event];
