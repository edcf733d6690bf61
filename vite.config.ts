import { defineConfig } from 'vitest/config';

// Root config: one vitest project per package. Node-side tests only; the browser runs of
// core and widget live in web-test-runner.config.mjs.
export default defineConfig({
  test: {
    projects: ['packages/*', 'demo'],
  },
});
