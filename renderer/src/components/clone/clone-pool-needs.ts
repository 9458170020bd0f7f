import type { CloneDiskAction, CloneDiskPlan, ClonePlan } from '../../../../shared/contract';

export interface CloneDiskChoice {
  action: CloneDiskAction;
  pool: string | null;
  /** '' = the suggestion. */
  volume: string;
}

export interface PoolNeed {
  pool: string;
  need: number;
  available: number;
  short: boolean;
}

/**
 * What each target pool would receive, counted as the service does before it starts (a raw
 * copy at its full size, an image format at what the source uses), against its free space.
 */
export function poolNeeds(
  plan: ClonePlan,
  choices: ReadonlyMap<string, CloneDiskChoice>,
): PoolNeed[] {
  const needs = new Map<string, number>();
  for (const d of plan.disks) {
    const c = choices.get(d.target);
    if (c?.action !== 'clone' || !c.pool) continue;
    const bytes = (d.format ?? 'raw') === 'raw' ? (d.capacity ?? 0) : (d.allocation ?? 0);
    needs.set(c.pool, (needs.get(c.pool) ?? 0) + bytes);
  }
  return [...needs].map(([pool, need]) => {
    const available = plan.pools.find((p) => p.name === pool)?.available ?? 0;
    return { pool, need, available, short: need > available };
  });
}

/** The plan's volume name for a disk, following the clone's name as the user types it. */
export function suggestedVolume(plan: ClonePlan, disk: CloneDiskPlan, typedName: string): string {
  const s = disk.suggestedVolume ?? '';
  const typed = typedName.trim();
  return plan.suggestedName && typed && s.includes(plan.suggestedName)
    ? s.replace(plan.suggestedName, typed)
    : s;
}
