// Terminal cells per character. virsh measures with wcwidth(); we approximate it with the
// Unicode ranges terminals draw two cells wide, so tables line up for CJK names and emoji.
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;

function isWide(codePoint: number): boolean {
  return WIDE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** Cells one character takes in a terminal (0, 1 or 2). */
export function charWidth(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0;
  if (ZERO_WIDTH.test(char)) return 0;
  if (isWide(codePoint) || EMOJI.test(char)) return 2;
  return 1;
}

/** Cells a string takes in a terminal, for strings without control characters. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

// C0, DEL and C1 controls: a tab or an escape sequence in a name would break the layout
// (or repaint the user's terminal), so they are shown as \xNN like virsh's tables do.
// eslint-disable-next-line no-control-regex -- control characters are what we look for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The cell text virsh would print: control characters and a literal `\x` (which would make
 * the output ambiguous) become `\xNN`.
 */
export function escapeCell(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const code = text.charCodeAt(i);
    if (CONTROL.test(char) || (char === '\\' && text.charAt(i + 1) === 'x')) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += char;
    }
  }
  return out;
}
