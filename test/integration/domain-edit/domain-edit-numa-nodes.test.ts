import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainEdit, PendingChange } from '../../../shared/contract/domain-edit';
import { readCpu } from '../../../shared/xml';
import { runVirsh } from '../../harness/run-virsh';
import { harness, type VmApp } from '../vms/vm-test-support';
import {
  apply,
  dumpXml,
  inactiveDoc,
  liveDoc,
  type TestVm,
  withEditTestVms,
} from './domain-edit-support';

/** Guest NUMA cells (`<cpu><numa><cell>`); the test VM has 2 vCPUs (max) and 64 MiB. */
let app: VmApp;
let vm: TestVm;
let running: TestVm;
withEditTestVms('vd-edit-numa', (ready) => {
  ({ app, vm, running } = ready);
});

const TWO_CELLS: DomainEdit = {
  kind: 'numaNodes',
  cells: [
    { cpus: '0', memoryKiB: 32768 },
    { cpus: '1', memoryKiB: 32768 },
  ],
};

describe('NUMA nodes on a shut-off VM', () => {
  it('sets two cells, goes back to one, and removes them with []', async () => {
    await apply(app, vm, TWO_CELLS);
    expect(readCpu(await inactiveDoc(vm.name)).numaCells).toMatchObject([
      { id: 0, cpus: '0', memoryKiB: 32768 },
      { id: 1, cpus: '1', memoryKiB: 32768 },
    ]);
    await apply(app, vm, { kind: 'numaNodes', cells: [{ cpus: '0-1', memoryKiB: 65536 }] });
    expect(readCpu(await inactiveDoc(vm.name)).numaCells).toMatchObject([
      { id: 0, cpus: '0-1', memoryKiB: 65536 },
    ]);
    await apply(app, vm, { kind: 'numaNodes', cells: [] });
    expect(await dumpXml(vm.name, true)).not.toMatch(/<numa>|<cell /);
  });

  it('refuses overlap, a missing or unknown vCPU and a wrong memory sum, naming the field', async () => {
    await apply(app, vm, TWO_CELLS);
    const before = await dumpXml(vm.name, true);
    const cases = [
      [
        [
          { cpus: '0-1', memoryKiB: 32768 },
          { cpus: '1', memoryKiB: 32768 },
        ],
        'edit.cells.1.cpus',
        /Cells 0 and 1 both have vCPU 1/,
      ],
      [[{ cpus: '0', memoryKiB: 65536 }], 'edit.cells', /vCPUs 1 are in no NUMA cell/],
      [[{ cpus: '0-2', memoryKiB: 65536 }], 'edit.cells.0.cpus', /vCPUs 0 to 1/],
      [[{ cpus: '0-1', memoryKiB: 32768 }], 'edit.cells', /32768 KiB .* 65536 KiB/],
      [[{ cpus: '0-', memoryKiB: 65536 }], 'edit.cells.0.cpus', /not a CPU list/],
    ] as const;
    for (const [cells, path, message] of cases) {
      const err = await app.fails('domain:applyEdit', {
        ...vm.target,
        edit: { kind: 'numaNodes', cells },
      });
      expect(err).toMatchObject({ kind: 'validation', path });
      expect(err.message).toMatch(message);
    }
    expect(await dumpXml(vm.name, true)).toBe(before);
  });

  it('mirrors libvirt, which itself refuses cells sharing a vCPU', async () => {
    const xml = (await dumpXml(vm.name, true)).replace(
      /<cell id='1' cpus='1'/,
      "<cell id='1' cpus='0-1'",
    );
    expect(xml).toMatch(/cpus='0-1'/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vd-numa-'));
    const file = path.join(dir, 'domain.xml');
    await writeFile(file, xml);
    const r = await runVirsh(harness().qemuUri, ['define', file]);
    await rm(dir, { recursive: true, force: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/overlap/i);
  });
});

describe('NUMA nodes on a running VM', () => {
  it('are saved for the next boot and reported pending', async () => {
    const result = await apply(app, running, TWO_CELLS);
    expect(result.liveActions).toEqual([]);
    expect(readCpu(await inactiveDoc(running.name)).numaCells).toHaveLength(2);
    expect(readCpu(await liveDoc(running.name)).numaCells).toHaveLength(0);
    const got = await app.ok<{ pending: PendingChange[] }>('domain:pending', running.target);
    expect(got.pending.map((p) => p.part)).toContain('cpu.numa');
  });
});
