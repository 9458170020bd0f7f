import type { Logger } from '../../../electron/services/logger';

export interface RecordedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  err?: unknown;
}

/** A Logger that keeps what it was told, so tests can assert on the user-facing message. */
export function createRecordingLogger(): Logger & { lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message, err) => lines.push({ level: 'error', message, err }),
  };
}
