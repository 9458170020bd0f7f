import { describe, expect, it } from 'vitest';
import { parseCommandArgs, type CommandLineSpec } from '../../../electron/vdctl/command-args';
import { findCommand, vdctlCommands } from '../../../electron/vdctl/command-registry';
import { requestedUri } from '../../../electron/vdctl/connect-vdctl';
import { splitGlobalArgs } from '../../../electron/vdctl/global-args';
import { UsageError } from '../../../electron/vdctl/vdctl-errors';

describe('splitGlobalArgs', () => {
  it('takes -c in all its spellings and stops at the command', () => {
    for (const argv of [
      ['-c', 'test:///default', 'list', '--all'],
      ['-ctest:///default', 'list', '--all'],
      ['--connect', 'test:///default', 'list', '--all'],
      ['--connect=test:///default', 'list', '--all'],
    ]) {
      const split = splitGlobalArgs(argv);
      expect(split.globals.connect).toBe('test:///default');
      expect(split.command).toBe('list');
      expect(split.commandArgs).toEqual(['--all']);
    }
  });

  it('parses --json, -q and leaves command options to the command', () => {
    const split = splitGlobalArgs(['--json', '-q', 'dominfo', '--json', 'vm']);
    expect(split.globals).toMatchObject({ json: true, quiet: true, connect: undefined });
    expect(split.command).toBe('dominfo');
    expect(split.commandArgs).toEqual(['--json', 'vm']);
  });

  it('treats a word after -c as its value even if it looks like a command', () => {
    expect(splitGlobalArgs(['-c', 'list', 'nodeinfo'])).toMatchObject({
      globals: { connect: 'list' },
      command: 'nodeinfo',
    });
  });

  it('reports no command when there is none', () => {
    expect(splitGlobalArgs(['--version'])).toMatchObject({
      command: null,
      globals: { version: true },
    });
  });

  it('rejects unknown global options, a missing or empty -c value', () => {
    expect(() => splitGlobalArgs(['--bogus', 'list'])).toThrow(UsageError);
    expect(() => splitGlobalArgs(['-c'])).toThrow(UsageError);
    expect(() => splitGlobalArgs(['-c', ' ', 'list'])).toThrow(/needs a URI/);
  });
});

const SPEC: CommandLineSpec = {
  name: 'demo',
  options: {
    all: { type: 'boolean', help: '' },
    timeout: { type: 'string', help: '' },
  },
  args: [
    { name: 'domain', help: '', required: true },
    { name: 'file', help: '' },
  ],
};

describe('parseCommandArgs', () => {
  it('fills positional arguments in order', () => {
    const args = parseCommandArgs(SPEC, ['vm1', 'out.xml', '--all']);
    expect(args.required('domain')).toBe('vm1');
    expect(args.string('file')).toBe('out.xml');
    expect(args.flag('all')).toBe(true);
    expect(args.flag('json')).toBe(false);
  });

  it('accepts an argument as --name VALUE, as virsh does', () => {
    const args = parseCommandArgs(SPEC, ['--domain', 'vm1', 'out.xml']);
    expect(args.required('domain')).toBe('vm1');
    expect(args.string('file')).toBe('out.xml');
  });

  it('is strict: unknown options, missing or extra arguments are usage errors', () => {
    expect(() => parseCommandArgs(SPEC, ['vm', '--bogus'])).toThrow(UsageError);
    expect(() => parseCommandArgs(SPEC, [])).toThrow(/missing DOMAIN/);
    expect(() => parseCommandArgs(SPEC, ['a', 'b', 'c'])).toThrow(/unexpected argument 'c'/);
    expect(() => parseCommandArgs(SPEC, ['--timeout'])).toThrow(UsageError);
    expect(() => parseCommandArgs(SPEC, [''])).toThrow(/must not be empty/);
  });

  it('lets --help through without the required arguments', () => {
    expect(parseCommandArgs(SPEC, ['--help']).flag('help')).toBe(true);
  });

  it('checks seconds', () => {
    expect(parseCommandArgs(SPEC, ['vm', '--timeout', '5']).seconds('timeout')).toBe(5);
    expect(() => parseCommandArgs(SPEC, ['vm', '--timeout', '-1']).seconds('timeout')).toThrow(
      UsageError,
    );
    expect(() => parseCommandArgs(SPEC, ['vm', '--timeout', '1.5']).seconds('timeout')).toThrow(
      /whole number/,
    );
  });

  it('collects a variadic argument', () => {
    const args = parseCommandArgs(findCommand('domstats')!, ['--state', 'a', 'b']);
    expect(args.list('domain')).toEqual(['a', 'b']);
    expect(args.flag('state')).toBe(true);
    expect(parseCommandArgs(findCommand('domstats')!, []).list('domain')).toEqual([]);
  });

  it('parses every command of the brief with its documented options', () => {
    const lines: string[][] = [
      ['list', '--all', '--name'],
      ['dominfo', 'vm'],
      ['dumpxml', '--inactive', '--security-info', 'vm'],
      ['define', 'vm.xml'],
      ['undefine', 'vm', '--managed-save', '--nvram'],
      ['start', 'vm'],
      ['shutdown', 'vm'],
      ['destroy', 'vm'],
      ['suspend', 'vm'],
      ['resume', 'vm'],
      [
        'domstats',
        'a',
        'b',
        '--state',
        '--cpu-total',
        '--balloon',
        '--vcpu',
        '--interface',
        '--block',
        '--json',
      ],
      ['event', '--domain', 'vm', '--loop', '--timeout', '3'],
      ['console', 'vm', '--devname', 'serial0', '--force'],
      ['net-list', '--all'],
      ['pool-list', '--all'],
      ['vol-list', 'pool'],
      ['vol-upload', 'vol', 'file', '--pool', 'pool'],
      ['vol-download', 'vol', 'file', '--pool', 'pool'],
      ['nodeinfo'],
      ['capabilities'],
      ['help'],
    ];
    for (const [name, ...rest] of lines) {
      const command = findCommand(name!);
      expect(command, name).toBeDefined();
      expect(() => parseCommandArgs(command!, rest), name).not.toThrow();
    }
  });
});

describe('the command table', () => {
  it('has unique names, and every synopsis starts with its command', () => {
    const names = vdctlCommands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of vdctlCommands) expect(c.synopsis.startsWith(c.name)).toBe(true);
  });
});

describe('requestedUri (virsh order before libvirt defaults)', () => {
  it('prefers -c, then VIRSH_DEFAULT_CONNECT_URI, else leaves it to LIBVIRT_DEFAULT_URI/uri_default', () => {
    expect(requestedUri('a', { VIRSH_DEFAULT_CONNECT_URI: 'b' })).toBe('a');
    expect(requestedUri(undefined, { VIRSH_DEFAULT_CONNECT_URI: 'b' })).toBe('b');
    expect(requestedUri(undefined, { LIBVIRT_DEFAULT_URI: 'c' })).toBe('');
  });
});
