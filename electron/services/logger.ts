import { inspect } from 'node:util';

/**
 * Where services report what the user or developer should know. Hosts pass their own;
 * tests pass one that records lines. Never stdout: the web host's stdout carries exactly
 * one line (its URL), which scripts and tests parse.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

/** Writes `VirtDeck [level] message` lines to stderr, errors with their stack and cause. */
export function createStderrLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, message: string, err?: unknown) => {
    const detail = err === undefined ? '' : `\n${inspect(err, { depth: 6 })}`;
    stream.write(`VirtDeck [${level}] ${message}${detail}\n`);
  };
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, err) => write('error', message, err),
  };
}
