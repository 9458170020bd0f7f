import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../harness/run-command';

const LAUNCHER = fileURLToPath(new URL('../../../bin/vdctl.js', import.meta.url));

/** bin/vdctl.js in a throwaway package layout, so dist/ can be present or not. */
async function layout(withBundle: boolean): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'vdctl-bin-'));
  await mkdir(join(root, 'bin'));
  await copyFile(LAUNCHER, join(root, 'bin', 'vdctl.js'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  if (withBundle) {
    await mkdir(join(root, 'dist', 'electron'), { recursive: true });
    // A stand-in bundle that shows what it was given.
    await writeFile(
      join(root, 'dist', 'electron', 'vdctl.cjs'),
      "process.stdout.write(JSON.stringify({ args: process.argv.slice(2), cjs: typeof require === 'function' }));\n",
    );
  }
  return root;
}

describe('bin/vdctl.js', () => {
  const roots: string[] = [];
  afterEach(async () => {
    for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
  });

  it('says to run npm run build when the bundle is missing', async () => {
    const root = await layout(false);
    roots.push(root);
    const r = await runCommand(process.execPath, [join(root, 'bin', 'vdctl.js'), 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(root, 'dist', 'electron', 'vdctl.cjs'));
    expect(r.stderr).toContain('npm run build');
  });

  it('runs the bundle in-process with the arguments untouched', async () => {
    const root = await layout(true);
    roots.push(root);
    const r = await runCommand(process.execPath, [
      join(root, 'bin', 'vdctl.js'),
      '-c',
      'x y',
      'list',
      '--all',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ args: ['-c', 'x y', 'list', '--all'], cjs: true });
  });
});
