/** Above this many line pairs the diff is one whole-file hunk instead of a minimal one. */
const MAX_CELLS = 16_000_000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Longest-common-subsequence edit script over the lines between the shared head and tail. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: ' ', line }));
  const n = midA.length;
  const m = midB.length;
  if (n * m > MAX_CELLS) {
    ops.push(...midA.map((line): Op => ({ kind: '-', line })));
    ops.push(...midB.map((line): Op => ({ kind: '+', line })));
  } else {
    // lcs[i*(m+1)+j]: LCS length of midA[i..] and midB[j..].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] =
          midA[i] === midB[j]
            ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i++] ?? '' });
        j++;
      } else if (
        j < m &&
        // Ties go to the deletion, so a changed line reads "-old" then "+new", as diff -u does.
        (i >= n || (lcs[i * (m + 1) + j + 1] ?? 0) > (lcs[(i + 1) * (m + 1) + j] ?? 0))
      ) {
        ops.push({ kind: '+', line: midB[j++] ?? '' });
      } else {
        ops.push({ kind: '-', line: midA[i++] ?? '' });
      }
    }
  }
  ops.push(...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

const range = (start: number, count: number): string =>
  count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;

/**
 * A unified diff of two texts, line by line, with three lines of context, as `diff -u`
 * prints it (without timestamps). '' when the texts have the same lines.
 */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { before: string; after: string } = { before: 'current', after: 'edited' },
): string {
  const ops = editScript(splitLines(before), splitLines(after));
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  if (changed.length === 0) return '';
  // Group changes whose context overlaps into hunks.
  const hunks: { from: number; to: number }[] = [];
  for (const index of changed) {
    const from = Math.max(0, index - CONTEXT);
    const to = Math.min(ops.length, index + CONTEXT + 1);
    const last = hunks[hunks.length - 1];
    if (last && from <= last.to) last.to = Math.max(last.to, to);
    else hunks.push({ from, to });
  }
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  let lineA = 1;
  let lineB = 1;
  let cursor = 0;
  for (const hunk of hunks) {
    for (; cursor < hunk.from; cursor++) {
      const op = ops[cursor];
      if (op?.kind !== '+') lineA++;
      if (op?.kind !== '-') lineB++;
    }
    const body = ops.slice(hunk.from, hunk.to);
    const countA = body.filter((op) => op.kind !== '+').length;
    const countB = body.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${range(lineA, countA)} +${range(lineB, countB)} @@`);
    for (const op of body) out.push(`${op.kind}${op.line}`);
    lineA += countA;
    lineB += countB;
    cursor = hunk.to;
  }
  return `${out.join('\n')}\n`;
}
