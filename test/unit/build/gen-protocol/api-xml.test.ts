import { describe, expect, it } from 'vitest';
import { parseApiXml } from '../../../../build/gen-protocol/api-xml';
import { emitConstants } from '../../../../build/gen-protocol/emit-constants';

const XML = `<?xml version="1.0" encoding="ISO-8859-1"?>
<api name='libvirt'>
  <symbols>
    <enum name='VIR_DOMAIN_NOSTATE' file='libvirt-domain' value='0' value_hex='0x0' type='virDomainState' version='0.0.1' info='no state'/>
    <enum name='VIR_DOMAIN_RUNNING' file='libvirt-domain' value='1' type='virDomainState' info='the domain is &lt;running&gt; -> yes'/>
    <enum name='VIR_FLAG_HIGH' file='libvirt-domain' value='2147483648' value_hex='0x80000000' type='virFlags' info='1U
      &lt;&lt; 31, spans lines'/>
    <enum name='VIR_FLAG_ALIAS' file='libvirt-domain' value='VIR_FLAG_LOW' type='virFlags'/>
    <enum name='VIR_FLAG_LOW' file='libvirt-domain' value='1' type='virFlags'/>
    <enum name='VIR_CPU_COMPARE_ERROR' file='libvirt-host' value='-1' type='virCPUCompareResult'/>
    <enum name='VIR_ERR_OK' file='virterror' value='0' type='virErrorNumber'/>
    <enum name='VIR_ERR_NO_DOMAIN' file='virterror' value='42' type='virErrorNumber'/>
    <enum name='VIR_FROM_NONE' file='virterror' value='0' type='virErrorDomain'/>
    <enum name='VIR_FROM_QEMU' file='virterror' value='10' type='virErrorDomain'/>
    <macro name='VIR_UUID_BUFLEN' file='libvirt-host' raw='(16)' version='0.2.0'>
      <info><![CDATA[x]]></info>
    </macro>
    <macro name='VIR_SECURITY_LABEL_BUFLEN' file='libvirt-host' raw='(4096 + 1)'/>
    <macro name='VIR_CPU_USED' file='libvirt-domain' params='cpumap,cpu' raw='((cpumap)[(cpu) / 8])'/>
    <macro name='VIR_DOMAIN_BLKIO_WEIGHT' file='libvirt-domain' string='weight'/>
  </symbols>
</api>`;

describe('parseApiXml', () => {
  it('reads enums, resolves symbolic values and keeps unsigned values unsigned', () => {
    const api = parseApiXml(XML, 'api.xml');
    const byName = new Map(api.enums.map((e) => [e.name, e]));
    expect(byName.get('VIR_FLAG_HIGH')?.value).toBe(2147483648);
    expect(byName.get('VIR_FLAG_ALIAS')?.value).toBe(1);
    expect(byName.get('VIR_CPU_COMPARE_ERROR')?.value).toBe(-1);
    expect(byName.get('VIR_DOMAIN_RUNNING')).toEqual({
      name: 'VIR_DOMAIN_RUNNING',
      file: 'libvirt-domain',
      type: 'virDomainState',
      value: 1,
    });
    expect(api.enums.map((e) => e.name)).toEqual([...api.enums.map((e) => e.name)].sort());
  });

  it('evaluates only simple numeric macros', () => {
    const api = parseApiXml(XML, 'api.xml');
    expect([...api.numericMacros]).toEqual([
      ['VIR_UUID_BUFLEN', 16],
      ['VIR_SECURITY_LABEL_BUFLEN', 4097],
    ]);
  });

  it('fails on unknown references, cycles and empty input', () => {
    const enumXml = (value: string): string =>
      `<enum name='A' file='f' value='${value}' type='t'/><enum name='B' file='f' value='A' type='t'/>`;
    expect(() => parseApiXml(enumXml('MISSING'), 'x.xml')).toThrow(/refers to unknown 'MISSING'/);
    expect(() => parseApiXml(enumXml('B'), 'x.xml')).toThrow(/refers to itself/);
    expect(() => parseApiXml(enumXml('1 << 3'), 'x.xml')).toThrow(/cannot evaluate: '1 << 3'/);
    expect(() => parseApiXml('<api/>', 'x.xml')).toThrow(/no <enum> elements/);
  });
});

describe('emitConstants', () => {
  it('emits constants, grouped objects by value and error-name maps', () => {
    const text = emitConstants(parseApiXml(XML, 'api.xml'), '// header');
    expect(text.startsWith('// header\n')).toBe(true);
    expect(text).toContain('export const VIR_FLAG_HIGH = 2147483648;\n');
    expect(text).toContain(
      'export const virDomainState = {\n  VIR_DOMAIN_NOSTATE: 0,\n  VIR_DOMAIN_RUNNING: 1,\n} as const;',
    );
    expect(text).toContain(
      'export const virFlags = {\n  VIR_FLAG_ALIAS: 1,\n  VIR_FLAG_LOW: 1,\n  VIR_FLAG_HIGH: 2147483648,\n} as const;',
    );
    expect(text).toContain(
      "export const virErrorNumberNames: Readonly<Record<number, string>> = {\n  0: 'VIR_ERR_OK',\n  42: 'VIR_ERR_NO_DOMAIN',\n};",
    );
    expect(text).toContain("  10: 'VIR_FROM_QEMU',\n");
  });
});
