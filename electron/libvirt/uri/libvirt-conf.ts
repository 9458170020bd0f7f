import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError } from '../errors';

/** A value in libvirt's virConf format. Numbers keep libvirt's signed/unsigned split. */
export type ConfValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: bigint }
  | { readonly type: 'list'; readonly items: readonly ConfValue[] };

export interface ConfEntry {
  readonly name: string;
  readonly value: ConfValue;
}

/** A parsed virConf file. Lookups take the FIRST entry of a name, as virConfGetValue does. */
export class VirConf {
  constructor(
    readonly file: string,
    readonly entries: readonly ConfEntry[],
  ) {}

  get(name: string): ConfValue | undefined {
    return this.entries.find((e) => e.name === name)?.value;
  }

  /** virConfGetValueString: absent → null; present but not a string → error. */
  getString(name: string): string | null {
    const v = this.get(name);
    if (!v) return null;
    if (v.type !== 'string') {
      throw new ConfigFileError(this.file, null, `expected a string for '${name}' parameter`);
    }
    return v.value;
  }

  /** virConfGetValueStringList without string compatibility: a list of strings only. */
  getStringList(name: string): string[] | null {
    const v = this.get(name);
    if (!v) return null;
    if (v.type !== 'list' || v.items.some((i) => i.type !== 'string')) {
      throw new ConfigFileError(this.file, null, `expected a string list for '${name}' parameter`);
    }
    return v.items.map((i) => (i as { value: string }).value);
  }
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isEol = (c: string | undefined): boolean => c === '\n' || c === '\r';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);

/**
 * Parser for libvirt's virConf format (virconf.c): `name = value` statements separated by
 * newlines or ';', `#` comments, strings in '…', "…" or """…""" (no escapes), integers,
 * and lists `[ v, v, ]`. Errors carry libvirt's wording and the line.
 */
class ConfParser {
  private pos = 0;
  private line = 1;
  private readonly entries: ConfEntry[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  parse(): VirConf {
    while (this.pos < this.text.length) {
      this.statement();
      this.separator();
    }
    return new VirConf(this.file, this.entries);
  }

  /** The current character (a method, so TypeScript does not narrow it across moves). */
  private ch(): string | undefined {
    return this.text[this.pos];
  }

  private fail(info: string): never {
    throw new ConfigFileError(this.file, this.line, info);
  }

  private skipBlanks(): void {
    while (isBlank(this.ch())) this.pos++;
  }

  private skipBlanksAndEol(): void {
    while (isBlank(this.ch()) || isEol(this.ch())) {
      if (this.ch() === '\n') this.line++;
      this.pos++;
    }
  }

  private skipToEol(): void {
    while (this.pos < this.text.length && !isEol(this.ch())) this.pos++;
  }

  private statement(): void {
    this.skipBlanksAndEol();
    if (this.pos >= this.text.length) return;
    if (this.ch() === '#') {
      this.skipToEol();
      return;
    }
    const start = this.pos;
    if (!isAlpha(this.ch())) this.fail('expecting a name');
    while (isNameChar(this.ch())) this.pos++;
    const name = this.text.slice(start, this.pos);
    this.skipBlanks();
    if (this.ch() !== '=') this.fail('expecting an assignment');
    this.pos++;
    this.skipBlanks();
    const value = this.value();
    this.skipBlanks();
    if (this.ch() === '#') this.skipToEol();
    this.entries.push({ name, value });
  }

  private separator(): void {
    this.skipBlanks();
    if (this.pos >= this.text.length) return;
    if (isEol(this.ch())) {
      this.skipBlanksAndEol();
    } else if (this.ch() === ';') {
      this.pos++;
      this.skipBlanksAndEol();
    } else {
      this.fail('expecting a separator');
    }
  }

  private value(): ConfValue {
    this.skipBlanks();
    const c = this.ch();
    if (c === undefined) this.fail('expecting a value');
    if (c === '"' || c === "'") return { type: 'string', value: this.string() };
    if (c === '[') return { type: 'list', items: this.list() };
    if (isDigit(c) || c === '-' || c === '+') return { type: 'number', value: this.number() };
    return this.fail('expecting a value');
  }

  private string(): string {
    if (
      this.ch() !== '"' ||
      !this.text.startsWith('"""', this.pos) ||
      this.pos + 6 >= this.text.length
    ) {
      const quote = this.ch();
      const start = ++this.pos;
      while (this.pos < this.text.length && this.ch() !== quote && !isEol(this.ch())) this.pos++;
      if (this.ch() !== quote) this.fail('unterminated string');
      return this.text.slice(start, this.pos++);
    }
    this.pos += 3;
    const start = this.pos;
    const end = this.text.indexOf('"""', start);
    if (end < 0) this.fail('unterminated string');
    for (let i = start; i < end; i++) if (this.text[i] === '\n') this.line++;
    this.pos = end + 3;
    return this.text.slice(start, end);
  }

  private list(): ConfValue[] {
    const items: ConfValue[] = [];
    this.pos++;
    this.skipBlanksAndEol();
    if (this.pos < this.text.length && this.ch() !== ']') {
      items.push(this.value());
      this.skipBlanksAndEol();
    }
    while (this.pos < this.text.length && this.ch() !== ']') {
      if (this.ch() !== ',') this.fail('expecting a separator in list');
      this.pos++;
      this.skipBlanksAndEol();
      if (this.ch() === ']') break;
      items.push(this.value());
      this.skipBlanksAndEol();
    }
    if (this.ch() !== ']') this.fail('list is not closed with ]');
    this.pos++;
    return items;
  }

  private number(): bigint {
    const start = this.pos;
    if (this.ch() === '-' || this.ch() === '+') this.pos++;
    if (!isDigit(this.ch())) this.fail('unterminated number');
    while (isDigit(this.ch())) this.pos++;
    return BigInt(this.text.slice(start, this.pos));
  }
}

export function parseVirConf(text: string, file: string): VirConf {
  return new ConfParser(text, file).parse();
}

/** What the libvirt client library reads from libvirt.conf. */
export interface LibvirtClientConfig {
  readonly file: string;
  readonly uriDefault: string | null;
  readonly uriAliases: readonly string[];
  /** Default for `?mode=` (validated where it is used, like libvirt). */
  readonly remoteMode: string | null;
  /** Default for `?proxy=`. */
  readonly remoteProxy: string | null;
}

export function readLibvirtClientConfig(conf: VirConf): LibvirtClientConfig {
  return {
    file: conf.file,
    uriDefault: conf.getString('uri_default'),
    uriAliases: conf.getStringList('uri_aliases') ?? [],
    remoteMode: conf.getString('remote_mode'),
    remoteProxy: conf.getString('remote_proxy'),
  };
}

// virConfReadFile refuses bigger files as a sanity check; so do we.
const MAX_CONFIG_FILE_SIZE = 10 * 1024 * 1024;

/** Reads and parses a libvirt.conf; a missing file is no configuration (null), as in libvirt. */
export async function loadLibvirtClientConfig(path: string): Promise<LibvirtClientConfig | null> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CONFIG_FILE_SIZE) {
      throw new ConfigFileError(path, null, `file is larger than ${MAX_CONFIG_FILE_SIZE} bytes`);
    }
    text = bytes.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (err instanceof ConfigFileError) throw err;
    throw new ConfigFileError(path, null, `cannot read: ${(err as Error).message}`);
  }
  return readLibvirtClientConfig(parseVirConf(text, path));
}

export interface ConfigLocation {
  env?: NodeJS.ProcessEnv;
  euid?: number;
  home?: string;
}

/** /etc/libvirt/libvirt.conf for root, $XDG_CONFIG_HOME/libvirt/libvirt.conf otherwise. */
export function libvirtConfPath(location: ConfigLocation = {}): string {
  const euid = location.euid ?? process.geteuid?.() ?? 0;
  if (euid === 0) return '/etc/libvirt/libvirt.conf';
  const env = location.env ?? process.env;
  const configHome = env.XDG_CONFIG_HOME || join(location.home ?? homedir(), '.config');
  return join(configHome, 'libvirt', 'libvirt.conf');
}
