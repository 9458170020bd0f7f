/** Malformed or out-of-bounds XDR. Never a crash: every decode failure is one of these. */
export class XdrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XdrError';
  }
}
