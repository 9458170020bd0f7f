import { randomBytes } from 'node:crypto';
import { cloudInitSchema, type CloudInitInput } from '../../../shared/contract/new-vm';
import { sha512Crypt } from './sha512-crypt';
import { yamlQuote as q } from './yaml-quote';

export interface NoCloudFile {
  name: string;
  data: Buffer;
}

/**
 * The files of a NoCloud seed (`meta-data`, `user-data`) for the cloud-image install method.
 * We have no YAML library, so our cloud-config is written by hand with every value quoted;
 * the user's extra user-data is never parsed: it travels as its own part of a MIME multipart
 * user-data, which cloud-init splits and merges itself.
 */
export function noCloudFiles(input: CloudInitInput, instanceId: string): NoCloudFile[] {
  // Checked again here, not only at the IPC border: this text becomes root-level config
  // inside the guest.
  const parsed = cloudInitSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(parsed.error.issues[0]?.message ?? 'The cloud-init settings are not valid');
  }
  const ci = parsed.data;
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/.test(instanceId)) {
    throw new Error('A cloud-init instance id uses letters, digits and . _ : - (at most 255)');
  }
  const metaData = `instance-id: ${q(instanceId)}\nlocal-hostname: ${q(ci.hostname)}\n`;
  const ours = ourCloudConfig(ci);
  const extra = ci.userData !== undefined && ci.userData.trim() !== '' ? ci.userData : null;
  const userData = extra === null ? ours : multipart(ours, extra);
  return [
    { name: 'meta-data', data: Buffer.from(metaData, 'utf8') },
    { name: 'user-data', data: Buffer.from(userData, 'utf8') },
  ];
}

function ourCloudConfig(ci: CloudInitInput): string {
  const password = ci.password ?? '';
  const lines = [
    '#cloud-config',
    // The wizard's host name is a single label, so it is the fqdn too; cloud-init then sets
    // the short name either way and keeps /etc/hosts' entry consistent.
    `hostname: ${q(ci.hostname)}`,
    `fqdn: ${q(ci.hostname)}`,
    // Only the wizard's user: the image's default account (debian, fedora, …) would be one
    // nobody holds a key for.
    'users:',
    `  - name: ${q(ci.user)}`,
    `    shell: ${q('/bin/bash')}`,
    `    sudo: ${q('ALL=(ALL) NOPASSWD:ALL')}`,
  ];
  if (password !== '') {
    // cloud-init locks the password by default; the hash (never the plain text) goes to
    // /etc/shadow as is.
    lines.push('    lock_passwd: false', `    passwd: ${q(sha512Crypt(password))}`);
  } else {
    lines.push('    lock_passwd: true');
  }
  if (ci.sshKeys.length > 0) {
    lines.push('    ssh_authorized_keys:', ...ci.sshKeys.map((k) => `      - ${q(k.trim())}`));
  }
  // Password logins over SSH only when there is a password to log in with.
  lines.push(`ssh_pwauth: ${password !== '' ? 'true' : 'false'}`);
  return `${lines.join('\n')}\n`;
}

/** cloud-init's user-data formats, by first line (it lower-cases and left-trims, as we do). */
const PART_TYPES: { prefix: string; type: string; beforeOurs: boolean }[] = [
  // Longest first: '#cloud-config' is a prefix of the next two.
  { prefix: '#cloud-config-archive', type: 'text/cloud-config-archive', beforeOurs: false },
  { prefix: '#cloud-config-jsonp', type: 'text/cloud-config-jsonp', beforeOurs: false },
  { prefix: '#cloud-config', type: 'text/cloud-config', beforeOurs: true },
  { prefix: '## template: jinja', type: 'text/jinja2', beforeOurs: true },
  { prefix: '#include-once', type: 'text/x-include-once-url', beforeOurs: false },
  { prefix: '#include', type: 'text/x-include-url', beforeOurs: false },
  { prefix: '#cloud-boothook', type: 'text/cloud-boothook', beforeOurs: false },
  { prefix: '#part-handler', type: 'text/part-handler', beforeOurs: false },
  { prefix: '#!', type: 'text/x-shellscript', beforeOurs: false },
];

/**
 * How our part merges into the user's cloud-config, which comes first: lists append (their
 * `users`, `runcmd`, … keep theirs and gain ours), nested maps recurse, and for a key both
 * set to a plain value theirs stays (`no_replace`) — the user's explicit text wins. cloud-init
 * cannot express "later wins but lists append" (its `dict(replace)` stops recursing), hence
 * the user's part first and ours second.
 */
const OUR_MERGE_TYPE = 'list(append)+dict(no_replace,recurse_list)+str()';

function multipart(ours: string, extra: string): string {
  const head = extra.trimStart().toLowerCase();
  const kind = PART_TYPES.find((t) => head.startsWith(t.prefix));
  if (!kind) {
    throw new Error(
      'Extra user-data must start with #cloud-config, #! (a script), #include, ' +
        '#cloud-boothook, #part-handler or "## template: jinja"; cloud-init ignores anything else',
    );
  }
  const theirs = part(kind.type, kind.type === 'text/x-shellscript' ? 'user-script' : 'user-data');
  const mine = part('text/cloud-config', 'virtdeck.cfg', OUR_MERGE_TYPE);
  const parts = kind.beforeOurs ? [theirs(extra), mine(ours)] : [mine(ours), theirs(extra)];
  // Bodies are base64, whose alphabet has no '-': a boundary line can never occur inside one.
  const boundary = `==virtdeck-${randomBytes(12).toString('hex')}==`;
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    'MIME-Version: 1.0',
    '',
    ...parts.flatMap((p) => [`--${boundary}`, p]),
    `--${boundary}--`,
    '',
  ].join('\n');
}

/** One MIME part; base64 so any text (non-ASCII, long lines, a lone `.`) arrives unchanged. */
function part(type: string, filename: string, mergeType?: string) {
  return (body: string): string => {
    const b64 = Buffer.from(body, 'utf8').toString('base64');
    return [
      `Content-Type: ${type}; charset="utf-8"`,
      'MIME-Version: 1.0',
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${filename}"`,
      ...(mergeType ? [`Merge-Type: ${mergeType}`] : []),
      '',
      ...(b64.match(/.{1,76}/g) ?? []),
      '',
    ].join('\n');
  };
}
