// Local runner for the widget's browser tests alone (the root config runs them together with
// core's). `node ../../node_modules/.bin/wtr --config packages/widget/wtr.local.mjs` from the root.
import root from '../../web-test-runner.config.mjs';

export default {
  ...root,
  files: ['packages/widget/test/**/*.test.ts'],
  testsFinishTimeout: Number(process.env.WTR_FINISH_TIMEOUT ?? 300000),
  testFramework: { config: { timeout: 20000, grep: process.env.WTR_GREP } },
};
