import type { Duplex, Readable } from 'node:stream';

/** Ctrl+] — virsh's default escape character. */
export const ESCAPE_BYTE = 0x1d;

export type ConsoleEnd = 'escape' | 'closed' | 'input-ended' | 'interrupted';

export interface ConsoleSessionOptions {
  /** The guest's console (a libvirt stream). */
  console: Duplex;
  input: Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  /** Guest output goes here, byte for byte. */
  output: (chunk: Uint8Array) => void;
  signal: AbortSignal;
  /**
   * After the input ends (a pipe closed), keep relaying until the guest has been quiet
   * this long, so `echo cmd | vdctl console vm` still shows the command's output.
   */
  quietAfterInputMs?: number;
  /** …but never longer than this after the input ended. */
  maxAfterInputMs?: number;
}

/**
 * Relays bytes between the user and a guest console until Ctrl+] is typed, the console
 * closes (guest stopped, another client took it with --force), the input ends, or the
 * signal aborts. A TTY is put in raw mode, so Ctrl+C and friends go to the guest, as with
 * virsh; it is restored whatever happens. Rejects with the stream's error (e.g. libvirt's).
 */
export function runConsoleSession(options: ConsoleSessionOptions): Promise<ConsoleEnd> {
  const { console: guest, input, output, signal } = options;
  const quietMs = options.quietAfterInputMs ?? 1000;
  const maxMs = options.maxAfterInputMs ?? 10_000;
  const raw = input.isTTY === true && typeof input.setRawMode === 'function';

  return new Promise<ConsoleEnd>((resolve, reject) => {
    let settled = false;
    let quietTimer: NodeJS.Timeout | undefined;
    let maxTimer: NodeJS.Timeout | undefined;

    const cleanup = () => {
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      input.off('data', onInput);
      input.off('end', onInputEnd);
      input.pause();
      if (raw) input.setRawMode?.(false);
      guest.off('data', onGuest);
      guest.off('end', onClosed);
      guest.off('close', onClosed);
      guest.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const settle = (end: ConsoleEnd | Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (end instanceof Error) {
        reject(end);
        return;
      }
      // Finish the libvirt stream cleanly unless the guest side is already gone.
      if (end !== 'closed' && !guest.destroyed) guest.end();
      resolve(end);
    };

    const onInput = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const at = bytes.indexOf(ESCAPE_BYTE);
      const before = at >= 0 ? bytes.subarray(0, at) : bytes;
      if (before.length > 0 && !guest.destroyed) guest.write(before);
      if (at >= 0) settle('escape');
    };
    const armQuiet = () => {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => settle('input-ended'), quietMs);
    };
    const onInputEnd = () => {
      armQuiet();
      maxTimer = setTimeout(() => settle('input-ended'), maxMs);
    };
    const onGuest = (chunk: Buffer) => {
      output(chunk);
      if (maxTimer !== undefined) armQuiet();
    };
    const onClosed = () => settle('closed');
    const onError = (error: Error) => settle(error);
    const onAbort = () => settle('interrupted');

    if (signal.aborted) {
      settle('interrupted');
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    guest.on('data', onGuest);
    guest.once('end', onClosed);
    guest.once('close', onClosed);
    guest.once('error', onError);
    if (raw) input.setRawMode?.(true);
    input.on('data', onInput);
    input.once('end', onInputEnd);
    input.resume();
  });
}
