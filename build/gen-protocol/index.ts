/**
 * CLI: regenerate electron/libvirt/protocol/*.gen.ts from libvirt's `.x` files.
 *   npm run gen:protocol -- [--from DIR] [--out DIR] [--api-xml PATH] [--libvirt-version V] [--check]
 * `--check` writes nothing and exits 1 when the committed output differs (for CI).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './generate';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEFAULTS = {
  from: resolve(repoRoot, '..', 'shared', 'libvirt-protocol'),
  out: join(repoRoot, 'electron', 'libvirt', 'protocol'),
  apiXml: '/usr/share/libvirt/api/libvirt-api.xml',
  libvirtVersion: '9.0.0',
} as const;

function main(): number {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      out: { type: 'string' },
      'api-xml': { type: 'string' },
      'libvirt-version': { type: 'string' },
      check: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const out = values.out === undefined ? DEFAULTS.out : resolve(values.out);
  const result = generate({
    from: values.from === undefined ? DEFAULTS.from : resolve(values.from),
    apiXml: values['api-xml'] === undefined ? DEFAULTS.apiXml : resolve(values['api-xml']),
    libvirtVersion: values['libvirt-version'] ?? DEFAULTS.libvirtVersion,
  });
  for (const note of result.notes) console.warn(`gen-protocol: ${note}`);

  if (values.check) {
    const stale = [...result.files].filter(([name, text]) => {
      const path = join(out, name);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    });
    for (const [name] of stale) console.error(`gen-protocol: ${join(out, name)} is out of date`);
    if (stale.length > 0) {
      console.error('gen-protocol: run `npm run gen:protocol` and commit the result');
      return 1;
    }
    console.log(`gen-protocol: ${result.files.size} files up to date`);
    return 0;
  }
  mkdirSync(out, { recursive: true });
  for (const [name, text] of result.files) writeFileSync(join(out, name), text);
  console.log(`gen-protocol: wrote ${[...result.files.keys()].join(', ')} to ${out}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof Error) console.error(`gen-protocol: ${err.message}`);
  else console.error('gen-protocol: failed:', err);
  process.exitCode = 1;
}
