import { defineConfig } from 'vitest/config';

// The reliability suite (issue 8): bounded in `npm test`, large in `npm run soak` (SOAK=1, see
// bench/soak.mjs). Counts come from reliability/helpers/env.ts.
export default defineConfig({
  test: {
    name: 'reliability',
    include: ['reliability/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    retry: 0,
  },
});
