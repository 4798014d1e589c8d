import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // web/ imports the package by name; its unit tests run it on the Node entry from source.
    alias: [{ find: /^budgeted-synergy$/, replacement: fileURLToPath(new URL('./src/node.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
