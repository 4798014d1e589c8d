// The explorer site (web/): `npm run build:web` writes site/, `npm run explore` serves it on
// 127.0.0.1. The page imports the package by name, resolved to its built browser entry (dist/), so
// the site exercises exactly what users of the package get.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // The page links to the model (docs/model.md); ship it with the site so the link works wherever
  // the site is hosted (served as text).
  plugins: [{
    name: 'model-doc',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'model.md', source: readFileSync(new URL('./docs/model.md', import.meta.url)) });
    },
  }],
  root: fileURLToPath(new URL('./web/', import.meta.url)),
  base: './',
  resolve: {
    alias: { 'budgeted-synergy': fileURLToPath(new URL('./dist/browser.js', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./site/', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  // The kernel module uses top-level await, which needs module workers (Vite's default is iife).
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 4173 },
  server: { host: '127.0.0.1' },
});
