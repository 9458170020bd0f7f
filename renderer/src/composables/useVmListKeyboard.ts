import type { Ref } from 'vue';
import type { VmListRow } from '../components/vm/vm-list-query';
import type { useVmSelection } from './useVmSelection';

export interface VmListKeyHandlers {
  open(key: string): void;
  askDelete(): void;
  /** Opens the context menu for the focused row (Shift+F10, the Menu key). */
  menu(key: string): void;
  setCollapsed(connectionId: string, collapsed: boolean): void;
  /** Rows per page for PageUp/PageDown. */
  pageSize(): number;
}

/**
 * The list's keys, as a file manager has them: arrows move (Shift extends, Ctrl only
 * moves the focus), Space toggles, Enter opens, Delete asks to delete, Ctrl+A selects
 * all, Left/Right collapse and expand a host, Shift+F10 or the Menu key open the menu.
 */
export function useVmListKeyboard(
  rows: Ref<readonly VmListRow[]>,
  selection: ReturnType<typeof useVmSelection>,
  handlers: VmListKeyHandlers,
) {
  function focusedRow(): VmListRow | undefined {
    const key = selection.focused.value;
    return key ? rows.value.find((row) => row.key === key) : undefined;
  }

  return function onKeydown(event: KeyboardEvent): void {
    const mode = event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'focus' : 'only';
    const row = focusedRow();
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        selection.move(row ? 1 : 0, mode);
        break;
      case 'ArrowUp':
        selection.move(row ? -1 : 0, mode);
        break;
      case 'PageDown':
        selection.move(handlers.pageSize(), mode);
        break;
      case 'PageUp':
        selection.move(-handlers.pageSize(), mode);
        break;
      case 'Home':
        selection.move(-rows.value.length, mode);
        break;
      case 'End':
        selection.move(rows.value.length, mode);
        break;
      case ' ':
        if (row?.kind === 'vm') selection.select(row.key, 'toggle');
        else if (row?.kind === 'group') handlers.setCollapsed(row.connectionId, !row.collapsed);
        break;
      case 'Enter':
        if (row?.kind === 'vm') handlers.open(row.key);
        else if (row?.kind === 'group') handlers.setCollapsed(row.connectionId, !row.collapsed);
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (row?.kind === 'group')
          handlers.setCollapsed(row.connectionId, event.key === 'ArrowLeft');
        else handled = false;
        break;
      case 'Delete':
        handlers.askDelete();
        break;
      case 'ContextMenu':
        if (row) handlers.menu(row.key);
        break;
      case 'F10':
        if (event.shiftKey && row) handlers.menu(row.key);
        else handled = false;
        break;
      case 'a':
      case 'A':
        if (event.ctrlKey || event.metaKey) selection.selectAll();
        else handled = false;
        break;
      case 'Escape':
        selection.clear();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };
}
