export interface ViewerFileSpec {
  type: 'vnc' | 'spice';
  host: string;
  port: number;
  password: string | null;
  /** The window title remote-viewer shows (the VM's name). */
  title: string;
}

/**
 * A virt-viewer connection file (`[virt-viewer]` key=value, as remote-viewer reads it). Values
 * are single lines: a VM name or password with a line break could otherwise add keys.
 */
export function buildViewerFile(spec: ViewerFileSpec): string {
  const lines = [
    '[virt-viewer]',
    `type=${spec.type}`,
    `host=${oneLine(spec.host)}`,
    `port=${spec.port}`,
    `title=${oneLine(spec.title)} - VirtDeck`,
    // remote-viewer removes the file once read: it may hold the password.
    'delete-this-file=1',
  ];
  if (spec.password !== null) lines.push(`password=${oneLine(spec.password)}`);
  return `${lines.join('\n')}\n`;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\0]/g, ' ');
}

/** `web01.vv` from a VM name, keeping only characters safe in a file name everywhere. */
export function viewerFileName(vmName: string): string {
  const safe = vmName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return `${safe || 'console'}.vv`;
}
