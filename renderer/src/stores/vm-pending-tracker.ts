import type { VmSummary } from '../../../shared/contract';
import type { ErrorDetail } from './notifications';
import { settledBy, type VmPendingAction } from './vm-action-settle';

/** What the tracker needs of a list item (the store's shallow-reactive VmItem). */
export interface PendingItem {
  readonly key: string;
  vm: VmSummary;
  pending: VmPendingAction | null;
  lastError: ErrorDetail | null;
}

interface Entry {
  action: VmPendingAction;
  settle: ((vm: VmSummary) => boolean) | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Each VM's busy mark, from the action's start to the event that shows its result. An
 * accepted action whose event does not come within `fallbackMs` has its VM read again
 * (`reread`), so a lost event never leaves a row busy for ever.
 */
export class VmPendingTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly items: ReadonlyMap<string, PendingItem>,
    private readonly reread: (key: string) => Promise<void>,
    private readonly fallbackMs: number,
  ) {}

  mark(key: string, action: VmPendingAction): void {
    const item = this.items.get(key);
    if (!item) return;
    const previous = this.entries.get(key);
    if (previous?.timer) clearTimeout(previous.timer);
    this.entries.set(key, { action, settle: settledBy(action), timer: null });
    item.pending = action;
    item.lastError = null;
  }

  /** libvirt accepted it: done now, or when its event comes. */
  accepted(key: string, action: VmPendingAction): void {
    const entry = this.entries.get(key);
    const item = this.items.get(key);
    if (!entry || entry.action !== action || !item) return;
    if (!entry.settle || entry.settle(item.vm)) {
      this.clear(key);
      return;
    }
    entry.timer = setTimeout(() => {
      if (this.entries.get(key) !== entry) return;
      entry.timer = null;
      void this.reread(key).finally(() => {
        if (this.entries.get(key) === entry) this.clear(key);
      });
    }, this.fallbackMs);
  }

  failed(key: string, action: VmPendingAction, error: ErrorDetail): void {
    if (this.entries.get(key)?.action === action) this.clear(key);
    const item = this.items.get(key);
    if (item) item.lastError = error;
  }

  /** After the VM changed: its new state may be what the action was waiting for. */
  check(item: PendingItem): void {
    const entry = this.entries.get(item.key);
    if (entry?.settle && entry.settle(item.vm)) this.clear(item.key);
  }

  clear(key: string): void {
    const entry = this.entries.get(key);
    if (entry?.timer) clearTimeout(entry.timer);
    this.entries.delete(key);
    const item = this.items.get(key);
    if (item) item.pending = null;
  }

  clearAll(): void {
    for (const key of [...this.entries.keys()]) this.clear(key);
  }
}
