import { domainGetState, domainOpenConsole } from '../../libvirt/facade/domain';
import { VIR_DOMAIN_SHUTOFF } from '../../libvirt/protocol/constants.gen';
import { runConsoleSession } from '../console-session';
import { lookupDomain } from '../lookup-object';
import type { VdctlCommand } from '../vdctl-command';
import { CommandFailure, describeFailure } from '../vdctl-errors';

const consoleCommand: VdctlCommand = {
  name: 'console',
  group: 'Domain',
  summary: "connect to a guest's serial console (leave with Ctrl+])",
  synopsis: 'console [--devname NAME] [--force] DOMAIN',
  handlesInterrupt: true,
  options: {
    devname: { type: 'string', valueName: 'NAME', help: "console or serial alias, e.g. 'serial0'" },
    force: { type: 'boolean', help: 'take the console over from another client' },
  },
  args: [{ name: 'domain', help: 'domain name, ID or UUID', required: true }],
  async run(ctx, args) {
    const c = await ctx.connect();
    const dom = await lookupDomain(c, args.required('domain'));
    const { state } = await describeFailure('Unable to get domain status', () =>
      domainGetState(c, dom),
    );
    if (state === VIR_DOMAIN_SHUTOFF) throw new CommandFailure('The domain is not running');

    const devName = args.string('devname');
    const guest = await describeFailure('Failed to get console', () =>
      domainOpenConsole(c, dom, { devName, force: args.flag('force') }),
    );
    const banner = `Connected to domain '${dom.name}'\nEscape character is ^] (Ctrl + ])\n`;
    // On a terminal the banner goes where virsh puts it; with pipes stdout stays pure guest
    // output, so the banner goes to stderr.
    if (ctx.stdin.isTTY) ctx.out.text(banner);
    else ctx.out.note(banner);

    await runConsoleSession({
      console: guest,
      input: ctx.stdin,
      output: (chunk) => ctx.out.bytes(chunk),
      signal: ctx.signal,
    });
  },
};

export const consoleCommands: readonly VdctlCommand[] = [consoleCommand];
