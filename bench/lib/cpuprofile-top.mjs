#!/usr/bin/env node
// Summarise a V8 .cpuprofile: self time by function and by file (used to explain P2 misses).
// Usage: node bench/lib/cpuprofile-top.mjs <file.cpuprofile> [n] [--since <function>]
//   --since: count only the samples from the first one whose stack holds <function> (e.g.
//   alipayNotify: leave out a bench server's setup, such as filling its ledger).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const sinceAt = args.indexOf('--since');
const since = sinceAt === -1 ? undefined : args.splice(sinceAt, 2)[1];
const [file, nArg] = args;
const n = Number(nArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
if (since !== undefined) {
  const up = new Map();
  for (const x of prof.nodes) for (const c of x.children ?? []) up.set(c, x.id);
  const holds = (id) => {
    for (let at = id; at !== undefined; at = up.get(at)) if (byId.get(at).callFrame.functionName === since) return true;
    return false;
  };
  const first = prof.samples.findIndex(holds);
  if (first === -1) throw new Error(`no sample holds ${since}`);
  prof.samples = prof.samples.slice(first);
  prof.timeDeltas = prof.timeDeltas.slice(first);
}
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++)
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const files = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const url = cf.url
    .replace(/^file:\/\/.*?node_modules\/\.pnpm\/([^/]+)\/.*\/([^/]+)$/, '$1 $2')
    .replace(/^file:\/\/\/work\/main\//, '');
  const k = `${cf.functionName || '(anon)'} ${url}:${cf.lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + us);
  files.set(url || cf.functionName, (files.get(url || cf.functionName) ?? 0) + us);
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%';
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
console.log('--- self time by function');
for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(pct(us), k);
console.log('--- self time by file');
for (const [k, us] of [...files].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(pct(us), k);
// Inclusive time (self + callees) by function, counting each sample once per function.
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const incl = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const seen = new Set();
  for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
    const cf = byId.get(id).callFrame;
    const k = `${cf.functionName || '(anon)'} ${cf.url.replace(/^.*\//, '')}:${cf.lineNumber + 1}`;
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + (dt[i] ?? 0));
  }
}
console.log('--- inclusive time by function');
for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, n * 2)) console.log(pct(us), k);
