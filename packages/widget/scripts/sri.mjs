#!/usr/bin/env node
// Subresource Integrity for the drop-in bundle: writes dist/alipay-checkout.bundle.js.sri
// ("sha384-<base64>", the value of <script integrity=…>) next to the bundle and prints it.
// The same value as `openssl dgst -sha384 -binary dist/alipay-checkout.bundle.js | openssl base64 -A`
// with "sha384-" in front. Run by scripts/build.mjs after the bundle is written; runnable alone.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bundle and its SRI file. */
export const BUNDLE = fileURLToPath(new URL('../dist/alipay-checkout.bundle.js', import.meta.url));
export const SRI_FILE = `${BUNDLE}.sri`;

/** `sha384-<base64 digest>` of some bytes: an `integrity` attribute value. */
export function sriOf(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** Hash the built bundle, write the .sri file, return the value. */
export function writeBundleSri() {
  const sri = sriOf(readFileSync(BUNDLE));
  writeFileSync(SRI_FILE, `${sri}\n`);
  return sri;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(writeBundleSri());
}
