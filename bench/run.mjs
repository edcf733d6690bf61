#!/usr/bin/env node
// `npm run bench`: every benchmark against a baseline measured in the same run.
// Writes bench/results.json ({ id, value, baseline, ratio, unit, target }) and prints a table.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, readResults, writeResults } from './lib/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// `--only P2,P7` (or `--only=P2.notify`): run the rows whose id starts with one of these; bare
// suite ids as arguments (`run.mjs P1 P4`) still work.
const args = process.argv.slice(2);
const only = args
  .flatMap((a, i) =>
    a === '--only'
      ? [args[i + 1] ?? '']
      : a.startsWith('--only=')
        ? [a.slice(7)]
        : a.startsWith('-') || args[i - 1] === '--only'
          ? []
          : [a],
  )
  .flatMap((a) => a.split(','))
  .filter(Boolean);
const suites = [
  ['P1', './p1-sign.mjs', 'runP1'],
  ['P2', './p2-notify.mjs', 'runP2'],
  ['P3', './p3-widget.mjs', 'runP3'],
  ['P4', './p4-files.mjs', 'runP4'],
  ['P5', './p5-e2e.mjs', 'runP5'],
  ['P6', './p6-reconcile.mjs', 'runP6'],
  ['P7', './p7-notify-pg.mjs', 'runP7'],
];

const rows = [];
for (const [id, file, fn] of suites) {
  // A suite runs if a filter names it or one of its rows (`P2.notify` runs suite P2, which filters its rows).
  if (only.length && !only.some((p) => id.startsWith(p) || p.startsWith(`${id}.`) || p === id)) continue;
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
  const t0 = performance.now();
  rows.push(...(await mod[fn](only)));
  console.error(`${id} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
for (const r of rows) r.met = meets(r);
// A filtered run replaces its own rows in results.json and keeps the others.
const file = join(here, 'results.json');
const kept = only.length ? readResults(file).filter((old) => !rows.some((r) => r.id === old.id)) : [];
writeResults(file, [...kept, ...rows.map(({ met, ...r }) => r)]);
printTable(rows);

function meets(r) {
  const m = /^(<=|>=)\s*([0-9.]+)/.exec(r.target ?? '');
  if (!m) return undefined;
  const subject = r.ratio ?? r.value;
  return m[1] === '>=' ? subject >= Number(m[2]) : subject <= Number(m[2]);
}
