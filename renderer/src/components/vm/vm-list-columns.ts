export const vmColumnIds = [
  'state',
  'name',
  'title',
  'host',
  'tags',
  'vcpus',
  'memory',
  'cpu',
  'memUsage',
  'disk',
  'net',
] as const;
export type VmColumnId = (typeof vmColumnIds)[number];

export interface VmColumn {
  id: VmColumnId;
  /** A CSS grid track. */
  width: string;
  align: 'start' | 'end';
  /** Name and state are always shown. */
  optional: boolean;
  defaultVisible: boolean;
}

export const vmColumns: readonly VmColumn[] = [
  { id: 'state', width: '112px', align: 'start', optional: false, defaultVisible: true },
  {
    id: 'name',
    width: 'minmax(140px, 1.4fr)',
    align: 'start',
    optional: false,
    defaultVisible: true,
  },
  { id: 'title', width: 'minmax(90px, 1fr)', align: 'start', optional: true, defaultVisible: true },
  {
    id: 'host',
    width: 'minmax(72px, 0.6fr)',
    align: 'start',
    optional: true,
    defaultVisible: true,
  },
  {
    id: 'tags',
    width: 'minmax(80px, 0.9fr)',
    align: 'start',
    optional: true,
    defaultVisible: true,
  },
  { id: 'vcpus', width: '60px', align: 'end', optional: true, defaultVisible: true },
  { id: 'memory', width: '76px', align: 'end', optional: true, defaultVisible: true },
  { id: 'cpu', width: '118px', align: 'start', optional: true, defaultVisible: true },
  { id: 'memUsage', width: '118px', align: 'start', optional: true, defaultVisible: true },
  { id: 'disk', width: '96px', align: 'end', optional: true, defaultVisible: false },
  { id: 'net', width: '96px', align: 'end', optional: true, defaultVisible: false },
];

export const defaultVisibleColumns: readonly VmColumnId[] = vmColumns
  .filter((column) => column.defaultVisible)
  .map((column) => column.id);

/** Only known ids, in the table's order, always with the fixed columns. */
export function normaliseVisibleColumns(ids: readonly unknown[]): VmColumnId[] {
  const wanted = new Set(ids);
  return vmColumns
    .filter((column) => !column.optional || wanted.has(column.id))
    .map((column) => column.id);
}

/** The narrowest the row can be: below it the list scrolls sideways. */
export function gridMinWidth(visible: readonly VmColumnId[]): number {
  const shown = new Set(visible);
  // 28 px selection box, 8 px end padding; each track's first number is its minimum.
  return vmColumns
    .filter((column) => shown.has(column.id))
    .reduce((sum, column) => sum + Number(/\d+/.exec(column.width)?.[0] ?? 0), 36);
}

/** The grid template for the selection box plus the visible columns. */
export function gridTemplate(visible: readonly VmColumnId[]): string {
  const shown = new Set(visible);
  const tracks = vmColumns.filter((column) => shown.has(column.id)).map((c) => c.width);
  return ['28px', ...tracks].join(' ');
}
