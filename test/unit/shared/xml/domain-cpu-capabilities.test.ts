import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../shared/xml';
import { readCpuCapabilities } from '../../../../shared/xml/domain/domain-cpu-capabilities';

describe('readCpuCapabilities', () => {
  it('reads modes, the host-model name and custom models with their usability', () => {
    const caps = readCpuCapabilities(
      parseXml(`<domainCapabilities>
  <cpu>
    <mode name='host-passthrough' supported='no'/>
    <mode name='maximum' supported='yes'/>
    <mode name='host-model' supported='yes'>
      <model fallback='forbid'>Skylake-Client-IBRS</model>
      <vendor>Intel</vendor>
    </mode>
    <mode name='custom' supported='yes'>
      <model usable='yes' vendor='AMD'>qemu64</model>
      <model usable='no' vendor='Intel' canonical='Skylake-Server-v1'>Skylake-Server</model>
      <model>odd</model>
      <model usable='yes'>  </model>
    </mode>
  </cpu>
</domainCapabilities>`),
    );
    expect(caps).toEqual({
      hostPassthrough: false,
      hostModel: true,
      hostModelName: 'Skylake-Client-IBRS',
      maximum: true,
      custom: true,
      models: [
        { name: 'qemu64', usable: 'yes', vendor: 'AMD' },
        { name: 'Skylake-Server', usable: 'no', vendor: 'Intel' },
        { name: 'odd', usable: 'unknown', vendor: undefined },
      ],
    });
  });

  it('offers nothing for a document without a cpu part or of another kind', () => {
    const none = {
      hostPassthrough: false,
      hostModel: false,
      hostModelName: undefined,
      maximum: false,
      custom: false,
      models: [],
    };
    expect(readCpuCapabilities(parseXml('<domainCapabilities/>'))).toEqual(none);
    expect(
      readCpuCapabilities(
        parseXml("<domain><cpu><mode name='custom' supported='yes'/></cpu></domain>"),
      ),
    ).toEqual(none);
  });
});
