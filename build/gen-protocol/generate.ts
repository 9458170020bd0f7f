import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiXml } from './api-xml';
import { emitConstants } from './emit-constants';
import { emitModule, generatedHeader } from './emit-module';
import { MODULES } from './module-specs';
import { ProtocolModel } from './model';
import { externalConstants, streamOverrides, type ExternalConstant } from './overrides';
import { parseProtocol } from './parser';
import type { ProtocolFile } from './ast';

export interface GenerateOptions {
  /** Directory holding the `.x` files. */
  from: string;
  /** libvirt-api.xml, or null/missing file to skip constants.gen.ts. */
  apiXml: string | null;
  /** Version named in each file's header (the `.x` files carry none). */
  libvirtVersion: string;
}

export interface GenerateResult {
  /** Output file name (in electron/libvirt/protocol/) → contents. */
  files: Map<string, string>;
  /** Things the user should know (skipped inputs). */
  notes: string[];
}

export class GeneratorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorInputError';
  }
}

/** Checks override values against the C API description, when it names them. */
function checkExternals(
  externals: readonly ExternalConstant[],
  known: ReadonlyMap<string, number>,
  source: string,
): void {
  for (const x of externals) {
    const v = known.get(x.name);
    if (v !== undefined && v !== x.value) {
      throw new GeneratorInputError(
        `overrides.ts says ${x.name} = ${x.value} but ${source} says ${v}; fix build/gen-protocol/overrides.ts`,
      );
    }
  }
}

/** Runs lexer → parser → model → emitters; pure apart from reading the inputs. */
export function generate(options: GenerateOptions): GenerateResult {
  if (!existsSync(options.from)) {
    throw new GeneratorInputError(
      `protocol input directory ${options.from} does not exist. It should hold libvirt's remote_protocol.x, ` +
        'qemu_protocol.x, lxc_protocol.x, virnetprotocol.x and virkeepaliveprotocol.x (see build/gen-protocol/README.md); ' +
        'pass --from DIR to point elsewhere.',
    );
  }
  const parsed = new Map<string, ProtocolFile>();
  for (const spec of MODULES) {
    const path = join(options.from, spec.input);
    if (!existsSync(path)) throw new GeneratorInputError(`missing input ${path}`);
    parsed.set(spec.id, parseProtocol(readFileSync(path, 'utf8'), spec.input));
  }
  const model = new ProtocolModel(parsed, externalConstants, streamOverrides);
  const files = new Map<string, string>();
  const notes: string[] = [];

  if (options.apiXml !== null && existsSync(options.apiXml)) {
    const api = parseApiXml(readFileSync(options.apiXml, 'utf8'), options.apiXml);
    const known = new Map<string, number>(api.numericMacros);
    for (const e of api.enums) known.set(e.name, e.value);
    checkExternals(externalConstants, known, options.apiXml);
    files.set(
      'constants.gen.ts',
      emitConstants(api, generatedHeader(options.libvirtVersion, 'libvirt-api.xml')),
    );
  } else {
    notes.push(
      `API description ${options.apiXml ?? '(none given)'} not found: constants.gen.ts was not regenerated ` +
        '(the committed file is kept) and overrides were not cross-checked. Install libvirt-dev to get it.',
    );
  }
  for (const m of model.modules)
    files.set(m.spec.output, emitModule(model, m, options.libvirtVersion));
  return { files, notes };
}
