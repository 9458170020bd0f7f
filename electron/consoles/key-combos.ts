import type { ConsoleKeyCombo } from '../../shared/contract/consoles';

// Linux input event codes (linux/input-event-codes.h), libvirt's VIR_KEYCODE_SET_LINUX.
const KEY_LEFTCTRL = 29;
const KEY_LEFTALT = 56;
const KEY_DELETE = 111;
const KEY_BACKSPACE = 14;
const KEY_SYSRQ = 99;
const FUNCTION_KEYS = [59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 87, 88];

/** The keys to hold together for a combination, in the order they go down. */
export function keycodesFor(combo: ConsoleKeyCombo): number[] {
  if (combo === 'ctrl-alt-del') return [KEY_LEFTCTRL, KEY_LEFTALT, KEY_DELETE];
  if (combo === 'ctrl-alt-backspace') return [KEY_LEFTCTRL, KEY_LEFTALT, KEY_BACKSPACE];
  if (combo === 'print') return [KEY_SYSRQ];
  const n = Number(/^ctrl-alt-f(\d{1,2})$/.exec(combo)?.[1]);
  const key = FUNCTION_KEYS[n - 1];
  if (key === undefined) throw new RangeError(`unknown key combination ${combo}`);
  return [KEY_LEFTCTRL, KEY_LEFTALT, key];
}
