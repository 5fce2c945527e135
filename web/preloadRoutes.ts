// A Vite plugin: the opened page's chunk (and the chunks it imports, ECharts for the chart
// pages) starts downloading with the main bundle instead of after it. Each page is a lazy chunk
// (src/Root.tsx), so without this the browser asks for it only once the main bundle has been
// fetched, parsed and run (about 350 ms on a busy machine). The built index.html gets a small
// inline script that matches `location.pathname` against the routes below and adds a
// `<link rel="modulepreload">` per file; the page's own `import()` then finds them loaded.
import type { Plugin } from 'vite';

// Route pattern -> page module(s) (src/pages/<name>.tsx), as in src/Root.tsx. A page missing
// here still works; it is just not preloaded. The desk's pages sit one lazy level deeper (Root
// loads pages/desk/DeskRoutes, which loads the page), so both chunks are named: otherwise the
// page's chunk would be asked for only after DeskRoutes had arrived and run.
const DESK = 'desk/DeskRoutes';
export const PAGE_ROUTES: [RegExp, string[]][] = [
  [/^\/$/, ['Overview']],
  [/^\/codes$/, ['Codes']],
  [/^\/codes\/[^/]+$/, ['CodeDetail']],
  [/^\/records$/, ['Records']],
  [/^\/abnormal$/, ['Abnormal']],
  [/^\/services$/, ['Services']],
  [/^\/alerts$/, ['Alerts']],
  [/^\/silences$/, ['Silences']],
  [/^\/config$/, ['Config']],
  [/^\/login$/, ['desk/Login']],
  [/^\/desk\/?$/, [DESK, 'desk/Queue']],
  [/^\/desk\/incidents\/\d+$/, [DESK, 'desk/IncidentPage']],
  [/^\/desk\/notifications$/, [DESK, 'desk/Notifications']],
  [/^\/desk\/settings$/, [DESK, 'desk/Settings']],
  [/^\/desk\/import$/, [DESK, 'desk/Import']],
  [/^\/desk\/users$/, [DESK, 'desk/Users']],
  [/^\/desk\/from-alert\/[^/]+$/, [DESK, 'desk/FromAlert']],
];

interface ChunkInfo {
  type: 'chunk' | 'asset';
  fileName: string;
  facadeModuleId?: string | null;
  imports?: string[];
  isEntry?: boolean;
}

// The chunk `file` and every chunk it imports statically, into `out`.
function closure(bundle: Record<string, ChunkInfo>, file: string, out: Set<string>): void {
  const chunk = bundle[file];
  if (!chunk || chunk.type !== 'chunk' || out.has(file)) return;
  out.add(file);
  for (const dep of chunk.imports ?? []) closure(bundle, dep, out);
}

export function preloadRoutes(): Plugin {
  return {
    name: 'vigil-preload-routes',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle as Record<string, ChunkInfo> | undefined;
        // Only the console's page: the MSS pages (m.html, a second entry) have routes of their own.
        if (!bundle || !ctx.path.endsWith('index.html')) return html;
        const base = '/'; // vite.config.ts: base '/'
        // What this page's entry loads anyway (Vite preloads those itself): not listed again.
        const loaded = new Set<string>();
        if (ctx.chunk) closure(bundle, ctx.chunk.fileName, loaded);
        const table: [string, string[]][] = [];
        for (const [pattern, pages] of PAGE_ROUTES) {
          const files = new Set<string>();
          for (const page of pages) {
            const entry = Object.values(bundle).find(
              (c) => c.type === 'chunk' && (c.facadeModuleId ?? '').replace(/\\/g, '/').endsWith(`/src/pages/${page}.tsx`),
            );
            if (entry) closure(bundle, entry.fileName, files);
          }
          if (!files.size) continue;
          table.push([pattern.source, [...files].filter((f) => !loaded.has(f)).map((f) => base + f)]);
        }
        const script =
          `(function(){var t=${JSON.stringify(table)},p=location.pathname;` +
          `for(var i=0;i<t.length;i++){if(!new RegExp(t[i][0]).test(p))continue;` +
          `t[i][1].forEach(function(f){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=f;document.head.appendChild(l);});break;}})();`;
        // After Vite's own tags: the entry is asked for first.
        return [{ tag: 'script', children: script, injectTo: 'head' }];
      },
    },
  };
}
