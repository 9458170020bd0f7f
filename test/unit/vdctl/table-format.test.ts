import { describe, expect, it } from 'vitest';
import { displayWidth, escapeCell } from '../../../electron/vdctl/format/display-width';
import { formatFields } from '../../../electron/vdctl/format/field-list-format';
import { formatTable } from '../../../electron/vdctl/format/table-format';

// Expected layouts are virsh 9.0's, captured from `virsh -c test:///default …` (LC_ALL=C).
describe('formatTable (virsh vshTable layout)', () => {
  it('lays out virsh list exactly', () => {
    expect(formatTable(['Id', 'Name', 'State'], [['1', 'test', 'running']])).toBe(
      ' Id   Name   State\n' + '----------------------\n' + ' 1    test   running\n',
    );
  });

  it('prints only the header and dashes for an empty list', () => {
    expect(formatTable(['Id', 'Name', 'State'], [])).toBe(
      ' Id   Name   State\n--------------------\n',
    );
    expect(formatTable(['Name', 'Path'], [])).toBe(' Name   Path\n--------------\n');
  });

  it('widens every column to its longest cell, including long names', () => {
    const name = 'a-very-long-domain-name-that-pushes-the-state-column';
    const out = formatTable(
      ['Id', 'Name', 'State'],
      [
        ['12', name, 'shut off'],
        ['-', 'b', 'running'],
      ],
    );
    const lines = out.split('\n');
    expect(lines[0]).toBe(` Id   Name${' '.repeat(name.length - 4)}   State`);
    // Dashes: each column's width + 3.
    expect(lines[1]).toBe('-'.repeat(2 + 3 + name.length + 3 + 'shut off'.length + 3));
    expect(lines[2]).toBe(` 12   ${name}   shut off`);
    expect(lines[3]).toBe(` -    b${' '.repeat(name.length - 1)}   running`);
    // The last column is never padded.
    expect(lines.every((l) => !l.endsWith(' '))).toBe(true);
  });

  it('leaves out header and dashes in quiet mode, measuring only the rows', () => {
    expect(formatTable(['Name', 'State'], [['x', 'active']], { header: false })).toBe(
      ' x   active\n',
    );
  });

  it('counts wide characters as two cells and escapes control characters', () => {
    const out = formatTable(
      ['Name', 'State'],
      [
        ['虚拟机', 'active'],
        ['tab\there', 'x'],
      ],
    );
    const lines = out.split('\n');
    // 虚拟机 is 6 cells wide; 'tab\x09here' is 11 once escaped, so the column is 11 wide.
    expect(lines[2]).toBe(` 虚拟机${' '.repeat(11 - 6 + 3)}active`);
    expect(lines[3]).toBe(' tab\\x09here   x');
  });

  it('refuses rows that do not match the header', () => {
    expect(() => formatTable(['a', 'b'], [['only-one']])).toThrow(RangeError);
  });
});

describe('display width and escaping', () => {
  it('measures terminal cells', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1); // e + combining acute
    expect(displayWidth('🙂')).toBe(2);
  });

  it('escapes control characters and a literal \\x like virsh', () => {
    expect(escapeCell('a\u001bb')).toBe('a\\x1bb');
    expect(escapeCell('c:\\x41')).toBe('c:\\x5cx41');
    expect(escapeCell('plain \\ backslash')).toBe('plain \\ backslash');
  });
});

describe('formatFields (dominfo/nodeinfo lines)', () => {
  it('pads labels like printf "%-15s %s"', () => {
    expect(
      formatFields(
        [
          ['Id:', '1'],
          ['Security DOI:', ''],
          ['Security label:', 'x (enforcing)'],
        ],
        15,
      ),
    ).toBe('Id:             1\nSecurity DOI:   \nSecurity label: x (enforcing)\n');
  });

  it('never cuts a label longer than the width', () => {
    expect(formatFields([['A-label-longer-than-width:', 'v']], 10)).toBe(
      'A-label-longer-than-width: v\n',
    );
  });
});
