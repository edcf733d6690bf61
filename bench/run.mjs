#!/usr/bin/env node
// `npm run bench`: every benchmark against a baseline measured in the same run.
// Writes bench/results.json ({ id, value, baseline, ratio, unit, target }) and prints a table.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, writeResults } from './lib/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const suites = [
  ['P1', './p1-sign.mjs', 'runP1'],
  ['P2', './p2-notify.mjs', 'runP2'],
  ['P3', './p3-widget.mjs', 'runP3'],
  ['P4', './p4-files.mjs', 'runP4'],
  ['P5', './p5-e2e.mjs', 'runP5'],
];

const rows = [];
for (const [id, file, fn] of suites) {
  if (only.length && !only.includes(id)) continue;
  let mod;
  try {
    mod = await import(file);
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(file.slice(2))) {
      console.log(`${id}: not available yet`);
      continue;
    }
    throw e;
  }
  console.error(`running ${id}…`);
  rows.push(...(await mod[fn]()));
}
for (const r of rows) r.met = meets(r);
writeResults(join(here, 'results.json'), rows.map(({ met, ...r }) => r));
printTable(rows);

function meets(r) {
  const m = /^(<=|>=)\s*([0-9.]+)/.exec(r.target ?? '');
  if (!m) return undefined;
  const subject = r.ratio ?? r.value;
  return m[1] === '>=' ? subject >= Number(m[2]) : subject <= Number(m[2]);
}
