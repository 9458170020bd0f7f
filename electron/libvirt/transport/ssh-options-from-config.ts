import type { SshHostConfig } from '../../ssh/ssh-config-resolver';
import type { SshTransportOptions } from './transport-types';

export type SshConfigDerivedOptions = Pick<
  SshTransportOptions,
  'host' | 'port' | 'username' | 'identityFiles' | 'jumpHosts' | 'knownHostsFile' | 'agent'
>;

/**
 * Maps what ~/.ssh/config says about an alias onto transport options, with OpenSSH's
 * rules: IdentityFile entries replace the default key list, IdentitiesOnly keeps the agent
 * out, UserKnownHostsFile replaces ~/.ssh/known_hosts. Values the caller already has
 * (from the URI) should be spread over the result.
 */
export function sshOptionsFromConfig(config: SshHostConfig): SshConfigDerivedOptions {
  const options: SshConfigDerivedOptions = { host: config.hostName };
  if (config.port !== undefined) options.port = config.port;
  if (config.username !== undefined) options.username = config.username;
  if (config.identityFiles.length > 0) options.identityFiles = [...config.identityFiles];
  if (config.identitiesOnly) options.agent = null;
  if (config.userKnownHostsFile !== undefined) options.knownHostsFile = config.userKnownHostsFile;
  if (config.jumpHosts.length > 0) {
    options.jumpHosts = config.jumpHosts.map((hop) => ({ ...hop }));
  }
  return options;
}
