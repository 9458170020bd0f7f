import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../electron/domain-edit/unified-diff';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('prints one hunk with three lines of context, as diff -u', () => {
    const a = lines(10);
    const b = [...a];
    b[4] = 'changed';
    expect(unifiedDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`)).toBe(
      [
        '--- current',
        '+++ edited',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+changed',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into hunks and counts inserted lines', () => {
    const a = lines(20);
    const b = [...a.slice(0, 1), 'new', ...a.slice(1, 18), ...a.slice(19)];
    const diff = unifiedDiff(a.join('\n'), b.join('\n'));
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,4 +1,5 @@', '@@ -16,5 +17,4 @@']);
    expect(diff).toContain('+new\n');
    expect(diff).toContain('-line 19\n');
  });

  it('handles empty sides', () => {
    expect(unifiedDiff('', 'x\n')).toBe('--- current\n+++ edited\n@@ -0,0 +1 @@\n+x\n');
    expect(unifiedDiff('x\n', '')).toBe('--- current\n+++ edited\n@@ -1 +0,0 @@\n-x\n');
  });
});
