import { defineConfig } from 'vitest/config';

// Node-side checks of the widget's published files (the drop-in bundle export and its SRI
// hash). The element's own tests run in real browsers under @web/test-runner (test/).
export default defineConfig({
  test: {
    name: 'widget',
    include: ['test-node/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
