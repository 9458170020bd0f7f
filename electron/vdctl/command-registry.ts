import { consoleCommands } from './commands/console-commands';
import { domainCommands } from './commands/domain-commands';
import { domainLifecycleCommands } from './commands/domain-lifecycle-commands';
import { eventCommands } from './commands/event-commands';
import { helpCommand } from './commands/help-commands';
import { hostCommands } from './commands/host-commands';
import { networkCommands } from './commands/network-commands';
import { statsCommands } from './commands/stats-commands';
import { storageCommands } from './commands/storage-commands';
import type { VdctlCommand } from './vdctl-command';

/** Every vdctl command, in the order `vdctl help` lists them within their group. */
export const vdctlCommands: readonly VdctlCommand[] = [
  ...domainCommands,
  ...domainLifecycleCommands,
  ...consoleCommands,
  ...statsCommands,
  ...eventCommands,
  ...networkCommands,
  ...storageCommands,
  ...hostCommands,
  helpCommand(() => vdctlCommands),
];

export function findCommand(name: string): VdctlCommand | undefined {
  return vdctlCommands.find((c) => c.name === name);
}
