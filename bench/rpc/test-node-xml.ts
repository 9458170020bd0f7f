/**
 * A libvirt test-driver "node" document (`test:///<abs path>`): host CPU and memory, `count`
 * running domains each with one disk and one NIC, one network and one storage pool. The
 * test driver starts every domain of such a file in state running, so no start calls are
 * needed. Names and UUIDs are derived from the index, so every run sees the same host.
 */

export interface TestNodeOptions {
  /** How many domains (1 … 99,999). */
  count: number;
  /** Absolute folder the (never opened) disk image paths and the pool point into. */
  imageDir: string;
}

export const MAX_TEST_DOMAINS = 99_999;

export function benchDomainName(index: number): string {
  return `bench-${String(index).padStart(5, '0')}`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Version-4-shaped, index-derived UUIDs: stable across runs and unique per domain. */
export function benchDomainUuid(index: number): string {
  return `00000000-0000-4000-8000-${hex(index, 12)}`;
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&apos;')
    .replaceAll('"', '&quot;');
}

function domainXml(index: number, imageDir: string): string {
  const mac = `52:54:00:${hex((index >> 16) & 0xff, 2)}:${hex((index >> 8) & 0xff, 2)}:${hex(index & 0xff, 2)}`;
  const disk = escapeXml(`${imageDir}/${benchDomainName(index)}.qcow2`);
  return `  <domain type='test'>
    <name>${benchDomainName(index)}</name>
    <uuid>${benchDomainUuid(index)}</uuid>
    <memory unit='MiB'>128</memory>
    <currentMemory unit='MiB'>128</currentMemory>
    <vcpu>2</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
    <devices>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='${disk}'/>
        <target dev='vda' bus='virtio'/>
      </disk>
      <interface type='network'>
        <mac address='${mac}'/>
        <source network='bench-net'/>
        <target dev='vnet${index}'/>
        <model type='virtio'/>
      </interface>
    </devices>
  </domain>
`;
}

export function testNodeXml({ count, imageDir }: TestNodeOptions): string {
  if (!Number.isInteger(count) || count < 1 || count > MAX_TEST_DOMAINS) {
    throw new RangeError(
      `domain count must be an integer in 1 … ${MAX_TEST_DOMAINS}, got ${count}`,
    );
  }
  if (!imageDir.startsWith('/')) {
    throw new TypeError(`imageDir must be an absolute path, got ${imageDir}`);
  }
  const domains: string[] = [];
  for (let i = 1; i <= count; i++) domains.push(domainXml(i, imageDir));
  const dir = escapeXml(imageDir);
  return `<node>
  <cpu>
    <mhz>2400</mhz>
    <model>virtdeck-bench</model>
    <active>16</active>
    <total>16</total>
    <nodes>1</nodes>
    <sockets>1</sockets>
    <cores>8</cores>
    <threads>2</threads>
  </cpu>
  <memory>1073741824</memory>
${domains.join('')}  <network>
    <name>bench-net</name>
    <uuid>00000000-0000-4000-8000-100000000000</uuid>
    <bridge name='vdbench0'/>
    <ip address='192.168.250.1' netmask='255.255.255.0'/>
  </network>
  <pool type='dir'>
    <name>bench-pool</name>
    <uuid>00000000-0000-4000-8000-200000000000</uuid>
    <capacity unit='GiB'>4096</capacity>
    <allocation unit='GiB'>16</allocation>
    <available unit='GiB'>4080</available>
    <target><path>${dir}</path></target>
  </pool>
</node>
`;
}
