import { connectGetCapabilities, nodeGetInfo } from '../../libvirt/facade/node';
import { formatFields, type Field } from '../format/field-list-format';
import type { VdctlCommand } from '../vdctl-command';
import { describeFailure } from '../vdctl-errors';

const nodeinfo: VdctlCommand = {
  name: 'nodeinfo',
  group: 'Host',
  summary: "the host's CPUs and memory",
  synopsis: 'nodeinfo',
  async run(ctx) {
    const c = await ctx.connect();
    const info = await describeFailure('failed to get node information', () => nodeGetInfo(c));
    if (ctx.out.json) {
      ctx.out.document({
        model: info.model,
        cpus: info.cpus,
        mhz: info.mhz,
        sockets: info.sockets,
        coresPerSocket: info.cores,
        threadsPerCore: info.threads,
        numaCells: info.nodes,
        memoryKiB: info.memoryKiB,
      });
      return;
    }
    const fields: Field[] = [
      ['CPU model:', info.model],
      ['CPU(s):', String(info.cpus)],
    ];
    // virsh leaves the line out when the host does not know its frequency.
    if (info.mhz !== 0) fields.push(['CPU frequency:', `${info.mhz} MHz`]);
    fields.push(
      ['CPU socket(s):', String(info.sockets)],
      ['Core(s) per socket:', String(info.cores)],
      ['Thread(s) per core:', String(info.threads)],
      ['NUMA cell(s):', String(info.nodes)],
      ['Memory size:', `${info.memoryKiB} KiB`],
    );
    ctx.out.text(formatFields(fields, 20));
  },
};

const capabilities: VdctlCommand = {
  name: 'capabilities',
  group: 'Host',
  summary: "the hypervisor's capabilities XML",
  synopsis: 'capabilities',
  async run(ctx) {
    const c = await ctx.connect();
    const xml = await describeFailure('failed to get capabilities', () =>
      connectGetCapabilities(c),
    );
    if (ctx.out.json) ctx.out.document({ xml });
    // virsh prints it with "%s\n", after the XML's own final newline.
    else ctx.out.text(`${xml}\n`);
  },
};

export const hostCommands: readonly VdctlCommand[] = [nodeinfo, capabilities];
