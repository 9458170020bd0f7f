import { execFileSync } from 'node:child_process';

/** libvirt needs swtpm for an emulated TPM: it refuses to define one without it. */
function hasSwtpm(): boolean {
  try {
    execFileSync('swtpm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const NO_SWTPM = !hasSwtpm();
