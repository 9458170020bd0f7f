import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** libvirt 9.0's own test XML, kept beside the repository (`../shared` from the repo root). */
export const CORPUS_DIR = fileURLToPath(
  new URL('../../../../../shared/testdata/libvirt-xml/', import.meta.url),
);

export const corpusPresent = existsSync(CORPUS_DIR);
export const CORPUS_SKIP_REASON = '../shared/testdata not present (CI always has it)';

export const CORPUS_KINDS = ['domains', 'networks', 'pools', 'volumes'] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

export interface CorpusFile {
  readonly kind: CorpusKind;
  /** `domains/minimal.xml`. */
  readonly name: string;
  readonly text: string;
}

/** Every corpus file (empty when the corpus is absent; tests then skip). */
export function corpusFiles(kind?: CorpusKind): CorpusFile[] {
  if (!corpusPresent) return [];
  const kinds = kind ? [kind] : CORPUS_KINDS;
  return kinds.flatMap((k) =>
    readdirSync(`${CORPUS_DIR}${k}`)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => ({
        kind: k,
        name: `${k}/${f}`,
        text: readFileSync(`${CORPUS_DIR}${k}/${f}`, 'utf8'),
      })),
  );
}

/** One named corpus file, e.g. `domains/minimal.xml`. */
export function corpusFile(name: string): string {
  return readFileSync(`${CORPUS_DIR}${name}`, 'utf8');
}
