import { defineConfig } from 'vitest/config';

// End-to-end: the demo storefront + embedded sandbox on port 0, driven by playwright-core in
// Debian's Chromium. One browser for the whole run (test/global-setup.ts launches it and shares
// its WebSocket endpoint); files run one after another so 2 cores are enough.
export default defineConfig({
  test: {
    name: 'demo',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    retry: 0,
  },
});
