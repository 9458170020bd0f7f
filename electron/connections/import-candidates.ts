import { readFile } from 'node:fs/promises';
import {
  CONNECTION_ALIAS_MAX,
  CONNECTION_ALIAS_PATTERN,
  defaultSshSettings,
} from '../../shared/contract/connections';
import type {
  ImportCandidate,
  ImportCandidates,
  ImportDraft,
  SavedConnection,
} from '../../shared/contract/connections';
import { loadLibvirtClientConfig } from '../libvirt/uri/libvirt-conf';
import { resolveSshConfig } from '../ssh/ssh-config-resolver';
import { buildConnectionUri } from './build-connection-uri';
import { listSshConfigHosts, proxyJumpFor } from './ssh-config-hosts';
import { parseConnectionUri } from './validate-connection';

export interface ImportSources {
  /** libvirt.conf: /etc/libvirt/libvirt.conf for root, else $XDG_CONFIG_HOME/libvirt/libvirt.conf. */
  libvirtConfPath: string;
  /** ~/.ssh/config. */
  sshConfigPath: string;
  home: string;
  localUser: string;
}

/**
 * Connections the user may want to add: each libvirt.conf `uri_aliases` entry, and each
 * concrete `Host` of ~/.ssh/config as `qemu+ssh://[user@]HostName[:port]/system` with its
 * IdentityFile and ProxyJump. Nothing is saved here; duplicates of saved connections (same
 * alias or URI) are marked, and unreadable entries are listed as problems.
 */
export async function findImportCandidates(
  existing: readonly SavedConnection[],
  sources: ImportSources,
): Promise<ImportCandidates> {
  const problems: string[] = [];
  const drafts = [
    ...(await fromLibvirtConf(sources.libvirtConfPath, problems)),
    ...(await fromSshConfig(sources, problems)),
  ];
  const seen: Array<{ alias: string; uri: string }> = [...existing];
  const candidates: ImportCandidate[] = [];
  for (const { draft, sourceFile, sourceName } of drafts) {
    const byAlias = seen.find((c) => c.alias === draft.alias);
    const byUri = seen.find((c) => c.uri === draft.uri);
    const duplicate = byAlias
      ? { reason: 'alias' as const, existingAlias: byAlias.alias }
      : byUri
        ? { reason: 'uri' as const, existingAlias: byUri.alias }
        : null;
    candidates.push({ source: draft.origin, sourceFile, sourceName, draft, duplicate });
    seen.push(draft);
  }
  return { candidates, problems };
}

interface Found {
  draft: ImportDraft;
  sourceFile: string;
  sourceName: string;
}

async function fromLibvirtConf(file: string, problems: string[]): Promise<Found[]> {
  let aliases: readonly string[];
  try {
    aliases = (await loadLibvirtClientConfig(file))?.uriAliases ?? [];
  } catch (err) {
    problems.push((err as Error).message);
    return [];
  }
  const found: Found[] = [];
  for (const entry of aliases) {
    const eq = entry.indexOf('=');
    const alias = eq < 0 ? '' : entry.slice(0, eq);
    const uri = entry.slice(eq + 1);
    if (!CONNECTION_ALIAS_PATTERN.test(alias) || alias.length > CONNECTION_ALIAS_MAX) {
      problems.push(
        `${file}: malformed 'uri_aliases' entry '${entry}', expected 'alias=uri://host/path' ` +
          `with an alias of letters, digits, '_' and '-'`,
      );
      continue;
    }
    try {
      parseConnectionUri(uri);
    } catch (err) {
      problems.push(`${file}: alias '${alias}': ${(err as Error).message}`);
      continue;
    }
    found.push({
      sourceFile: file,
      sourceName: alias,
      draft: {
        alias,
        uri,
        description: `From uri_aliases in ${file}`,
        autoconnect: false,
        ssh: { ...defaultSshSettings },
        origin: 'libvirt-conf',
      },
    });
  }
  return found;
}

async function fromSshConfig(sources: ImportSources, problems: string[]): Promise<Found[]> {
  const file = sources.sshConfigPath;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      problems.push(`${file}: cannot read it (${(err as Error).message})`);
    }
    return [];
  }
  const found: Found[] = [];
  let hosts: string[];
  try {
    hosts = listSshConfigHosts(text);
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return [];
  }
  for (const name of hosts) {
    try {
      const host = resolveSshConfig(text, name, {
        home: sources.home,
        localUser: sources.localUser,
      });
      const uri = buildConnectionUri({
        hypervisor: 'qemu-system',
        transport: 'ssh',
        host: host.hostName,
        ...(host.username !== undefined ? { user: host.username } : {}),
        ...(host.port !== undefined ? { port: host.port } : {}),
      });
      const proxyJump = proxyJumpFor(text, name);
      const identityFile = host.identityFiles[0];
      found.push({
        sourceFile: file,
        sourceName: name,
        draft: {
          alias: aliasFromHostName(name),
          uri,
          description: `From Host ${name} in ${file}`,
          autoconnect: false,
          ssh: {
            useAgent: true,
            ...(identityFile !== undefined ? { identityFile } : {}),
            ...(proxyJump !== undefined ? { proxyJump } : {}),
          },
          origin: 'ssh-config',
        },
      });
    } catch (err) {
      problems.push(`${file}: Host ${name}: ${(err as Error).message}`);
    }
  }
  return found;
}

/** 'db.lab' → 'db-lab': an ssh Host name made into a libvirt-style alias. */
export function aliasFromHostName(name: string): string {
  const alias = name
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, CONNECTION_ALIAS_MAX);
  return alias || 'host';
}
