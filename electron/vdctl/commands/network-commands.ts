import { networkList } from '../../libvirt/facade/network';
import { formatTable } from '../format/table-format';
import { compareNames, yesNo } from '../format/virsh-words';
import type { VdctlCommand } from '../vdctl-command';
import { describeFailure } from '../vdctl-errors';

const netList: VdctlCommand = {
  name: 'net-list',
  group: 'Network',
  summary: 'list networks (active ones unless --all or --inactive)',
  synopsis: 'net-list [--all | --inactive] [--name]',
  options: {
    all: { type: 'boolean', help: 'active and inactive networks' },
    inactive: { type: 'boolean', help: 'only inactive networks' },
    name: { type: 'boolean', help: 'print only the names' },
  },
  async run(ctx, args) {
    const c = await ctx.connect();
    const all = await describeFailure('Failed to list networks', () => networkList(c));
    const wanted = args.flag('all') ? all : all.filter((n) => n.active === !args.flag('inactive'));
    wanted.sort((a, b) => compareNames(a.name, b.name));

    if (ctx.out.json) {
      ctx.out.document(
        wanted.map((n) => ({
          name: n.name,
          uuid: n.uuid,
          active: n.active,
          autostart: n.autostart,
          persistent: n.persistent,
          bridge: n.bridge ?? null,
        })),
      );
    } else if (args.flag('name')) {
      ctx.out.text(wanted.map((n) => `${n.name}\n`).join(''));
    } else {
      const rows = wanted.map((n) => [
        n.name,
        n.active ? 'active' : 'inactive',
        yesNo(n.autostart),
        yesNo(n.persistent),
      ]);
      ctx.out.text(
        formatTable(['Name', 'State', 'Autostart', 'Persistent'], rows, {
          header: !ctx.out.quiet,
        }),
      );
    }
  },
};

export const networkCommands: readonly VdctlCommand[] = [netList];
