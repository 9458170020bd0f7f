/** X11 keysyms (keysymdef.h) a typed text needs beyond Latin-1. */
export const XK_SHIFT_L = 0xffe1;
const XK_RETURN = 0xff0d;
const XK_TAB = 0xff09;
const XK_BACKSPACE = 0xff08;
const XK_ESCAPE = 0xff1b;

/** Characters a US keyboard types with Shift (VNC servers map keysyms to that layout). */
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

export interface KeyStroke {
  keysym: number;
  shift: boolean;
}

/**
 * The key strokes that type `text` into a VNC display: Latin-1 characters are their own
 * keysym, other Unicode is 0x01000000 + code point, newlines press Return. Characters the
 * guest cannot receive as keys (other controls) are left out and counted.
 */
export function textToKeyStrokes(text: string): { strokes: KeyStroke[]; skipped: number } {
  const strokes: KeyStroke[] = [];
  let skipped = 0;
  const normalised = text.replace(/\r\n?/g, '\n');
  for (const char of normalised) {
    const cp = char.codePointAt(0) as number;
    if (char === '\n') strokes.push({ keysym: XK_RETURN, shift: false });
    else if (char === '\t') strokes.push({ keysym: XK_TAB, shift: false });
    else if (char === '\b') strokes.push({ keysym: XK_BACKSPACE, shift: false });
    else if (char === '\u001b') strokes.push({ keysym: XK_ESCAPE, shift: false });
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) skipped++;
    else if (cp <= 0xff) strokes.push({ keysym: cp, shift: SHIFTED.has(char) });
    else strokes.push({ keysym: 0x01000000 + cp, shift: false });
  }
  return { strokes, skipped };
}
