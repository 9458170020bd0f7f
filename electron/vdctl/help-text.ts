import { COMMON_OPTIONS, type OptionSpec } from './command-args';
import type { CommandGroup, VdctlCommand } from './vdctl-command';

export const GLOBAL_SYNOPSIS = 'vdctl [-c URI|ALIAS] [--json] [-q] COMMAND [ARGS]';

const GROUP_ORDER: readonly CommandGroup[] = [
  'Domain',
  'Monitoring',
  'Network',
  'Storage',
  'Host',
  'vdctl',
];

const GLOBAL_OPTIONS: ReadonlyArray<readonly [string, string]> = [
  [
    '-c, --connect URI|ALIAS',
    'connect here; default: $VIRSH_DEFAULT_CONNECT_URI, then $LIBVIRT_DEFAULT_URI, ' +
      "then uri_default in libvirt.conf. Aliases come from libvirt.conf's uri_aliases.",
  ],
  ['--json', 'print JSON instead of virsh-style text (any command)'],
  ['-q, --quiet', 'no table headers and no blank line after the output'],
  ['-h, --help', 'show this help'],
  ['-v, --version', "print vdctl's version"],
];

const JSON_NOTE = [
  "JSON output: lists are arrays of objects, everything else one object. libvirt's 64-bit",
  'counters (memory in KiB, CPU time in ns, byte counts, 64-bit stats) are ALWAYS decimal',
  'strings, so no value loses precision and no field changes type; other numbers are numbers.',
  '`event --json` prints one object per line.',
];

function columns(rows: ReadonlyArray<readonly [string, string]>, indent: string): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}\n`).join('');
}

export function formatGlobalHelp(commands: readonly VdctlCommand[]): string {
  let out = `Usage: ${GLOBAL_SYNOPSIS}\n\n`;
  out += "A virsh-like command line for libvirt on VirtDeck's own libvirt client.\n\n";
  out += 'Options:\n' + columns(GLOBAL_OPTIONS, '  ') + '\n';
  for (const group of GROUP_ORDER) {
    const inGroup = commands.filter((c) => c.group === group);
    if (inGroup.length === 0) continue;
    out += `${group} commands:\n`;
    out += columns(
      inGroup.map((c) => [c.name, c.summary] as const),
      '  ',
    );
    out += '\n';
  }
  out += `${JSON_NOTE.join('\n')}\n\n`;
  out += "Run 'vdctl help COMMAND' for a command's arguments and options.\n";
  return out;
}

function optionLabel(name: string, option: OptionSpec): string {
  const long = `--${name}${option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

export function formatCommandHelp(command: VdctlCommand): string {
  let out = `Usage: vdctl ${command.synopsis}\n\n  ${command.summary}\n`;
  const args = command.args ?? [];
  if (args.length > 0) {
    out += '\nArguments:\n';
    out += columns(
      args.map((a) => [a.variadic ? `${a.name.toUpperCase()}...` : a.name.toUpperCase(), a.help]),
      '  ',
    );
  }
  const options = { ...command.options, ...COMMON_OPTIONS };
  out += '\nOptions:\n';
  out += columns(
    Object.entries(options).map(([name, o]) => [optionLabel(name, o), o.help] as const),
    '  ',
  );
  return out;
}

/** The short hint after a usage error. */
export function usageHint(command: VdctlCommand | null): string {
  if (command) return `Usage: vdctl ${command.synopsis}\nTry 'vdctl help ${command.name}'.\n`;
  return `Usage: ${GLOBAL_SYNOPSIS}\nTry 'vdctl help'.\n`;
}
