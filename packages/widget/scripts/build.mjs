#!/usr/bin/env node
// The drop-in bundle: dist/alipay-checkout.bundle.js, one self-contained minified ES module with
// Lit inside, for `<script type="module" src=…>` on any site. Runs after `tsc -b` (which writes
// the rest of dist/). Then: prints the gzip size and fails over the 10 KiB budget, writes the
// SRI hash (dist/alipay-checkout.bundle.js.sri, scripts/sri.mjs), regenerates
// custom-elements.json with @custom-elements-manifest/analyzer (custom-elements-manifest.config.mjs), checks that the ESM build imports in Node (no DOM at module load), and
// type-checks the browser tests.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { writeBundleSri } from './sri.mjs';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const BUDGET = 10 * 1024;
const out = `${pkg}dist/alipay-checkout.bundle.js`;

/**
 * Collapse the whitespace of css`` templates and of the markup between html`` expressions.
 * Lit templates are whitespace-insensitive here: every text node the element renders comes
 * from an expression, and the stylesheet has no strings with runs of spaces.
 */
const minifyTemplates = {
  name: 'alipay-checkout:minify-templates',
  transform(code, id) {
    // Lit's developer-error messages can't fire here (every css`` is a literal of ours): keep
    // the throw, drop the prose.
    if (id.includes('@lit/reactive-element/css-tag.js')) {
      return code.replace(/throw Error\("[^"]*"(\+\w+\+"[^"]*")?\)/g, 'throw Error("lit css")');
    }
    if (!id.startsWith(`${pkg}src/`) || !id.endsWith('.ts')) return null;
    return code.replace(/\b(css|html)`([^`]*)`/g, (_, tag, body) => {
      let t = body.replace(/\/\*[^]*?\*\//g, '').replace(/\s+/g, ' ');
      t =
        tag === 'css'
          ? t
              .replace(/\s*([{}:;,>])\s*/g, '$1')
              .replace(/;}/g, '}')
              .replace(/([ :,(])0\./g, '$1.')
          : t.replace(/>\s+/g, '>').replace(/\s+(<|\/?>)/g, '$1');
      return `${tag}\`${t.trim()}\``;
    });
  },
};

await build({
  root: pkg,
  configFile: false,
  logLevel: 'warn',
  plugins: [minifyTemplates],
  build: {
    outDir: 'dist',
    emptyOutDir: false, // tsc -b's output lives there too
    target: 'es2022',
    minify: true,
    sourcemap: false,
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'src/components/alipay-checkout/alipay-checkout.ts',
      formats: ['es'],
      fileName: () => 'alipay-checkout.bundle.js',
    },
  },
});

// Pure annotations are for the bundler, not for browsers.
writeFileSync(out, readFileSync(out, 'utf8').replaceAll('/* @__PURE__ */ ', ''));
const bytes = readFileSync(out);
const gz = gzipSync(bytes, { level: 9 }).length;
console.log(
  `@alipay-kit/widget: dist/alipay-checkout.bundle.js ${bytes.length} B, ${gz} B gzip` +
    ` (${(gz / 1024).toFixed(2)} KiB of the ${BUDGET / 1024} KiB budget, Lit included)`,
);
if (gz > BUDGET) {
  console.error(`✖ the drop-in bundle is over budget by ${gz - BUDGET} B gzip`);
  process.exit(1);
}
// <script integrity=…> value, in dist/alipay-checkout.bundle.js.sri (README: "Drop-in bundle").
console.log(`@alipay-kit/widget: dist/alipay-checkout.bundle.js.sri ${writeBundleSri()}`);

const steps = [
  [`${pkg}node_modules/.bin/cem`, ['analyze', '--quiet']],
  [process.execPath, [`${pkg}scripts/node-import-check.mjs`]],
  // The browser tests are transpiled without a type check (esbuild): check them here.
  [`${pkg}../../node_modules/.bin/tsc`, ['-p', `${pkg}test/tsconfig.json`]],
];
for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: pkg });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
