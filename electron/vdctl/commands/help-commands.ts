import { formatCommandHelp, formatGlobalHelp } from '../help-text';
import type { VdctlCommand } from '../vdctl-command';
import { UsageError } from '../vdctl-errors';

/** `help [COMMAND]`; takes the command list lazily because it is part of that list. */
export function helpCommand(commands: () => readonly VdctlCommand[]): VdctlCommand {
  return {
    name: 'help',
    group: 'vdctl',
    summary: 'list the commands, or show one command in detail',
    synopsis: 'help [COMMAND]',
    args: [{ name: 'command', help: 'the command to describe' }],
    async run(ctx, args) {
      const name = args.string('command');
      const all = commands();
      if (name === undefined) {
        if (ctx.out.json) {
          ctx.out.document(
            all.map((c) => ({
              name: c.name,
              group: c.group,
              summary: c.summary,
              synopsis: c.synopsis,
            })),
          );
        } else {
          ctx.out.text(formatGlobalHelp(all));
        }
        return;
      }
      const command = all.find((c) => c.name === name);
      if (!command) throw new UsageError(`unknown command: '${name}'`);
      ctx.out.text(formatCommandHelp(command));
    },
  };
}
