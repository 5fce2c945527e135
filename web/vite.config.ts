// The console is built into VIGIL_WEB_OUT (the CMake build sets <build>/web, where `vigil serve`
// looks by default); `npm run dev` proxies the API to a local `vigil serve`.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.VIGIL_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: process.env.VIGIL_WEB_OUT || 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/metrics': { target: apiTarget },
      '/healthz': { target: apiTarget },
    },
  },
});
