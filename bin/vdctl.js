#!/usr/bin/env node
// The package's `vdctl` command: runs the bundled CLI in this same process (so a terminal
// stays a terminal for `vdctl console`). The bundle is built by `npm run build`.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/electron/vdctl.cjs', import.meta.url));

if (!existsSync(bundle)) {
  process.stderr.write(
    `vdctl: ${bundle} is missing. Build it first with \`npm run build\` ` +
      '(or run `npm run vdctl -- ARGS`, which builds and runs it).\n',
  );
  process.exit(1);
}

createRequire(import.meta.url)(bundle);
