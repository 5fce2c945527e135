// Page timings with the browser's Performance API: navigation timing, and the moment the
// page's main content (rows of its table, its chart) first exists in the DOM, observed from
// inside the page by a MutationObserver installed before any of the page's scripts run.

// Installs the observer for `selector` on `page`'s next navigation; the moment is kept in
// window.__vigilReady (ms since navigation start) and as the mark `vigil-ready`.
export async function observeReady(page, selector) {
  await page.addInitScript((sel) => {
    const check = () => {
      if (window.__vigilReady !== undefined || !document.querySelector(sel)) return;
      window.__vigilReady = performance.now();
      performance.mark('vigil-ready');
      observer.disconnect();
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  }, selector);
}

// Waits for the content and reads the figures (ms since navigation start).
export async function readTimings(page, timeout = 30_000) {
  await page.waitForFunction(() => window.__vigilReady !== undefined, null, { timeout, polling: 50 });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    // The waterfall before the content: when the last script chunk and the last API answer
    // (the event stream aside) were in, of those asked for before the content appeared.
    const before = performance.getEntriesByType('resource').filter((r) => r.startTime < window.__vigilReady);
    const lastEnd = (test) => Math.max(0, ...before.filter((r) => test(new URL(r.name).pathname)).map((r) => r.responseEnd));
    return {
      ttfb: nav.responseStart,
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      ready: window.__vigilReady,
      scripts: lastEnd((p) => p.startsWith('/assets/') && p.endsWith('.js')),
      api: lastEnd((p) => p.startsWith('/api/') && p !== '/api/v1/stream'),
    };
  });
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values) => percentile(values, 50);
