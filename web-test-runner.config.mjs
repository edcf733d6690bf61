// @web/test-runner: the browser half of `npm test`. Runs core's test files (the same files
// vitest runs in Node, through a 'vitest' → mocha/chai shim) and the widget's tests in one
// browser engine per run: WTR_BROWSER=chromium (default) | firefox | webkit, all from Debian's
// packages (scripts/wtr/engines.mjs). `npm run test:browsers` runs it once per engine.
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { launcherFor } from './scripts/wtr/engines.mjs';

const engine = process.env.WTR_BROWSER || 'chromium';

/** Resolve bare 'vitest' imports in test files to the mocha/chai shim. */
const vitestShim = {
  name: 'vitest-shim',
  resolveImport({ source }) {
    if (source === 'vitest') return '/scripts/wtr/vitest-shim.js';
    return undefined;
  },
};

let widgetMiddleware = [];
if (existsSync(new URL('./packages/widget/wtr-middleware.mjs', import.meta.url))) {
  ({ widgetMiddleware = [] } = await import('./packages/widget/wtr-middleware.mjs'));
}

export default {
  rootDir: '.',
  files: ['packages/core/test/**/*.test.ts', '!packages/core/test/node/**', 'packages/widget/test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'import', 'default'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 20000 } },
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 300000,
  middleware: widgetMiddleware,
  plugins: [
    vitestShim,
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: new URL('./packages/widget/tsconfig.json', import.meta.url).pathname,
    }),
  ],
  browsers: [launcherFor(engine)],
};
