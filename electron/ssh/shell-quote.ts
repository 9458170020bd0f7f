/**
 * POSIX single-quote one word for a remote shell. Inside single quotes nothing is special
 * except the quote itself, which is closed, escaped and reopened ('\''). Callers still
 * validate what they insert: quoting makes text inert, it does not make it meaningful.
 */
export function shellQuote(word: string): string {
  if (word.includes('\0')) {
    throw new Error('A shell word cannot contain a NUL byte');
  }
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
