import SSHConfig from 'ssh-config';
import type { Line } from 'ssh-config';

/**
 * The concrete host names of `Host` lines (top level, in file order, each once): the
 * entries a user can `ssh` to by name. Wildcard (`*`, `?`) and negated (`!`) patterns
 * describe many hosts and are skipped.
 */
export function listSshConfigHosts(configText: string): string[] {
  const hosts: string[] = [];
  for (const line of SSHConfig.parse(configText) as Line[]) {
    if (!('param' in line) || line.param.toLowerCase() !== 'host') continue;
    const patterns =
      typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((v) => v.val);
    for (const pattern of patterns) {
      if (!pattern || /[*?!\s]/.test(pattern) || hosts.includes(pattern)) continue;
      hosts.push(pattern);
    }
  }
  return hosts;
}

/**
 * The ProxyJump text ssh_config gives `host` (first match wins), exactly as written, so it
 * can be resolved again at connect time. CanonicalDomains is dropped first: with it the
 * ssh-config package would run DNS lookups.
 */
export function proxyJumpFor(configText: string, host: string): string | undefined {
  const config = SSHConfig.parse(configText.replace(/^\s*CanonicalDomains\b.*$/gim, ''));
  const computed = config.compute(host, { ignoreCase: true, matchExec: false }) as Record<
    string,
    string | string[] | undefined
  >;
  const value = computed['proxyjump'];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.toLowerCase() !== 'none' ? text : undefined;
}
