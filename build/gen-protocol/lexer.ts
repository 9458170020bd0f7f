/**
 * Tokenizer for the rpcgen dialect of libvirt's `.x` files. Comments are kept as tokens
 * because libvirt puts machine-read annotations (`@generate`, `@priority`, `@readstream`…)
 * in the comment before each procedure.
 */

export type TokenKind = 'ident' | 'number' | 'punct' | 'comment';

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

/** A syntax error with the file and line it was found at. */
export class ProtocolSyntaxError extends Error {
  constructor(fileName: string, line: number, message: string) {
    super(`${fileName}:${line}: ${message}`);
    this.name = 'ProtocolSyntaxError';
  }
}

const PUNCTUATION = new Set(['{', '}', '(', ')', '[', ']', '<', '>', ';', ',', '=', ':', '*']);

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function tokenize(source: string, fileName: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let atLineStart = true;
  const n = source.length;

  while (i < n) {
    const c = source.charAt(i);
    if (c === '\n') {
      line++;
      i++;
      atLineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    // `%` lines are passed through to the C output by rpcgen; they carry no XDR.
    if (c === '%' && atLineStart) {
      while (i < n && source.charAt(i) !== '\n') i++;
      continue;
    }
    atLineStart = false;
    const startLine = line;

    if (c === '/' && source.charAt(i + 1) === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new ProtocolSyntaxError(fileName, startLine, 'unterminated comment');
      const text = source.slice(i, end + 2);
      for (const ch of text) if (ch === '\n') line++;
      tokens.push({ kind: 'comment', text, line: startLine });
      i = end + 2;
      continue;
    }
    if (c === '/' && source.charAt(i + 1) === '/') {
      let end = source.indexOf('\n', i);
      if (end < 0) end = n;
      tokens.push({ kind: 'comment', text: source.slice(i, end), line: startLine });
      i = end;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(source.charAt(j))) j++;
      tokens.push({ kind: 'ident', text: source.slice(i, j), line: startLine });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '-' && isDigit(source.charAt(i + 1)))) {
      let j = i + 1;
      while (j < n && isIdentPart(source.charAt(j))) j++;
      tokens.push({ kind: 'number', text: source.slice(i, j), line: startLine });
      i = j;
      continue;
    }
    if (PUNCTUATION.has(c)) {
      tokens.push({ kind: 'punct', text: c, line: startLine });
      i++;
      continue;
    }
    throw new ProtocolSyntaxError(fileName, startLine, `unexpected character '${c}'`);
  }
  return tokens;
}

/** Value of an rpcgen integer literal (decimal, 0x hex, leading-0 octal, optional minus). */
export function parseIntegerLiteral(text: string, fileName: string, line: number): number {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) value = Number.parseInt(body.slice(2), 16);
  else if (/^0[0-7]+$/.test(body)) value = Number.parseInt(body.slice(1), 8);
  else if (/^(0|[1-9][0-9]*)$/.test(body)) value = Number.parseInt(body, 10);
  else throw new ProtocolSyntaxError(fileName, line, `bad integer literal '${text}'`);
  if (!Number.isSafeInteger(value)) {
    throw new ProtocolSyntaxError(fileName, line, `integer literal '${text}' is out of range`);
  }
  return negative ? -value : value;
}
