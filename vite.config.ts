import { defineConfig } from 'vitest/config';

// Root config. Vitest runs one project per package that has a vitest.config.ts (core,
// sandbox, server-kit, demo end-to-end). The browser half (core again, and the widget) runs
// under @web/test-runner: see web-test-runner.config.mjs.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', '{demo,bench}/vitest.config.ts'],
  },
});
