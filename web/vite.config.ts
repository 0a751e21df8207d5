import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The built app is served by codecrew itself at / (index.html) and /assets/*.
// In development, `CODECREW_API=http://127.0.0.1:PORT npm run dev` proxies the
// API (every path but the app's own) to a running server.
const api = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env.CODECREW_API;
const apiPaths = ['/health', '/workflows', '/executions', '/conversations', '/approvals', '/events', '/crews', '/openapi.json'];

// The API's paths, and its WebSocket (/ws, the live monitor with an API key).
const proxy = (target: string) => ({
  ...Object.fromEntries(apiPaths.map((p) => [p, { target, changeOrigin: false }])),
  '/ws': { target, changeOrigin: false, ws: true },
});

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      output: {
        // the heavy libraries load with the pages that need them (diffs, artifacts)
        manualChunks(id: string) {
          if (id.includes('node_modules/highlight.js')) return 'highlight';
          if (id.includes('node_modules/marked') || id.includes('node_modules/dompurify')) return 'markdown';
          return undefined;
        },
      },
    },
  },
  server: api ? { proxy: proxy(api) } : undefined,
  preview: api ? { proxy: proxy(api) } : undefined,
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
} as import('vite').UserConfig & { test: unknown });
