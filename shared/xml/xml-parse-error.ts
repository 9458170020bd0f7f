/** Input that is not well-formed XML (or uses a feature we refuse, such as DOCTYPE). */
export class XmlParseError extends Error {
  /** 1-based line of the problem, when known. */
  readonly line: number | undefined;
  /** 1-based column of the problem, when known. */
  readonly column: number | undefined;
  /** fast-xml-parser's error code, or one of ours (`InvalidEntity`, `Doctype`, …). */
  readonly code: string;

  constructor(message: string, code: string, line?: number, column?: number) {
    super(line === undefined ? message : `${message} (line ${line}, column ${column ?? '?'})`);
    this.name = 'XmlParseError';
    this.code = code;
    this.line = line;
    this.column = column;
  }
}
