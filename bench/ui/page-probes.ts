/**
 * Code that runs inside the page (as strings: this tsconfig has no DOM, and the page runs
 * plain JS). Each expression is passed to Playwright's `page.evaluate`/`waitForFunction`.
 */

/** Resolves (truthy) once the VM list knows `count` VMs; its value is `performance.now()`. */
export function rowsKnownProbe(count: number): string {
  return `(() => {
    const el = document.querySelector('[data-testid="vm-count"]');
    return el && Number(el.getAttribute('data-total')) >= ${count} ? performance.now() : false;
  })()`;
}

/** Remembers when the next click on a button named `name` happens (window.__vdClickAt). */
export function clickClockProbe(name: string): string {
  return `(() => {
    window.__vdClickAt = null;
    document.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      if (button && (button.getAttribute('aria-label') === ${JSON.stringify(name)} ||
          button.textContent.trim() === ${JSON.stringify(name)})) {
        window.__vdClickAt ??= performance.now();
      }
    }, { capture: true });
  })()`;
}

export const clickedAtExpression = 'window.__vdClickAt';

/**
 * Starts recording in the page: long tasks (PerformanceObserver 'longtask') and every
 * frame's duration (requestAnimationFrame deltas), until `stopMeasureExpression`.
 */
export const startMeasureExpression = `(() => {
  const state = { frames: [], longTasks: [], running: true };
  state.observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
  });
  state.observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const frame = (now) => {
    state.frames.push(now - last);
    last = now;
    if (state.running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.__vdMeasure = state;
})()`;

/** Stops the recording; answers the numbers and how many rows the DOM holds. */
export const stopMeasureExpression = `(() => {
  const state = window.__vdMeasure;
  state.running = false;
  state.observer.disconnect();
  const grid = document.querySelector('[data-testid="vm-list"]');
  return {
    frames: state.frames.slice(1),
    longTasks: state.longTasks,
    rowsInDom: grid ? grid.querySelectorAll('[role="row"]').length : 0,
  };
})()`;

/** Where the list is scrolled: -1 at the top, 1 at the bottom, 0 in between. */
export const scrollEdgeExpression = `(() => {
  const grid = document.querySelector('[data-testid="vm-list"]');
  if (grid.scrollTop <= 0) return -1;
  return grid.scrollTop >= grid.scrollHeight - grid.clientHeight - 1 ? 1 : 0;
})()`;

/**
 * Where the page load went, in ms since navigation start: the document, the bundles, the
 * app's own marks around the first 'vm:list' (renderer/src/stores/vms.ts), and paints.
 */
export const loadBreakdownExpression = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const round = (v) => Math.round(v * 10) / 10;
  const out = [];
  if (nav) {
    out.push(['document response end', round(nav.responseEnd)]);
    out.push(['DOMContentLoaded', round(nav.domContentLoadedEventEnd)]);
    out.push(['load event', round(nav.loadEventEnd)]);
  }
  for (const r of performance.getEntriesByType('resource')) {
    if (!/\\.(js|css|woff2?)(\\?|$)/.test(r.name)) continue;
    const file = r.name.split('/').pop().split('?')[0];
    out.push([file + ' (' + Math.round(r.decodedBodySize / 1024) + ' KiB) fetched', round(r.responseEnd)]);
  }
  for (const p of performance.getEntriesByType('paint')) out.push([p.name, round(p.startTime)]);
  for (const m of performance.getEntriesByType('mark')) {
    if (m.name.startsWith('vd:')) out.push([m.name, round(m.startTime)]);
  }
  return out.sort((a, b) => a[1] - b[1]);
})()`;
