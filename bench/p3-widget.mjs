// P3: gzip size of the drop-in widget bundle (Lit included). The baseline column is Lit's own
// core (lit-html + lit-element + reactive-element, minified by the same bundler run), so the
// ratio says how much the element adds on top of the framework.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { row } from './lib/results.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function runP3() {
  const bundle = join(root, 'packages/widget/dist/alipay-checkout.bundle.js');
  if (!existsSync(bundle)) throw new Error('P3: build the widget first (npm run build)');
  const gz = gzipSync(readFileSync(bundle), { level: 9 }).length;
  return [row('P3.widget', gz / 1024, null, 'KB gzip', '<= 10', { bytes: gz })];
}
