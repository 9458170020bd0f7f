import type { DiskSourceInput } from '../../../../../shared/contract';
import type { DiskSource } from '../../../../../shared/xml';

/** The source fields of a disk form; one kind is filled at a time. */
export interface DiskSourceForm {
  kind: 'file' | 'block' | 'volume';
  file: string;
  dev: string;
  pool: string;
  volume: string;
}

export function diskSourceForm(
  type: string | undefined,
  source: DiskSource | undefined,
): DiskSourceForm {
  const kind = type === 'block' || type === 'volume' ? type : 'file';
  return {
    kind,
    file: source?.file ?? '',
    dev: source?.dev ?? '',
    pool: source?.pool ?? '',
    volume: source?.volume ?? '',
  };
}

/** The edit's source, or null while the chosen kind's fields are empty. */
export function diskSourceInput(form: DiskSourceForm): DiskSourceInput | null {
  switch (form.kind) {
    case 'file':
      return form.file.trim() ? { kind: 'file', file: form.file.trim() } : null;
    case 'block':
      return form.dev.trim() ? { kind: 'block', dev: form.dev.trim() } : null;
    case 'volume':
      return form.pool && form.volume
        ? { kind: 'volume', pool: form.pool, volume: form.volume }
        : null;
  }
}

export function sameDiskSource(a: DiskSourceInput | null, b: DiskSourceInput | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
