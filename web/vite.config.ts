// The console is built into VIGIL_WEB_OUT (the CMake build sets <build>/web, where `vigil serve`
// looks by default); `npm run dev` proxies the API to a local `vigil serve`.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { preloadRoutes } from './preloadRoutes';

const apiTarget = process.env.VIGIL_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), preloadRoutes()],
  base: '/',
  build: {
    outDir: process.env.VIGIL_WEB_OUT || 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // Two pages: the console (index.html) and the MSS mobile pages (m.html, served for /m/...),
      // which load neither Ant Design nor ECharts.
      input: { main: 'index.html', m: 'm.html' },
      output: {
        // ECharts in a chunk of its own: loaded only by the pages that draw charts, and cached
        // across console releases.
        codeSplitting: {
          groups: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ }],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/metrics': { target: apiTarget },
      '/healthz': { target: apiTarget },
    },
  },
});
