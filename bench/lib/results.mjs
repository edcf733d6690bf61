// Shared helpers for the benchmarks: timing loops, the results file and the printed table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Run `fn` repeatedly for about `ms` milliseconds after a warm-up and return operations per
 * second. Two candidates are measured in alternating rounds so that drift on this shared
 * 2-core machine hits both alike.
 */
export function opsPerSecond(fn, { ms = 1500, warmup = 300 } = {}) {
  const until = (t) => {
    const end = performance.now() + t;
    let n = 0;
    while (performance.now() < end) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
    }
    return n;
  };
  until(warmup);
  const start = performance.now();
  const n = until(ms);
  return (n * 1000) / (performance.now() - start);
}

/** Measure candidate and baseline in `rounds` alternating rounds; return the medians. */
export function compareOps(candidate, baseline, { rounds = 5, ms = 800 } = {}) {
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    a.push(opsPerSecond(candidate, { ms, warmup: 150 }));
    b.push(opsPerSecond(baseline, { ms, warmup: 150 }));
  }
  return { value: median(a), baseline: median(b) };
}

export function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One row of bench/results.json. `target` is a human-readable goal such as ">= 0.9". */
export function row(id, value, baseline, unit, target, extra = {}) {
  const ratio = baseline ? value / baseline : null;
  return {
    id,
    value: round(value),
    baseline: baseline == null ? null : round(baseline),
    ratio: ratio == null ? null : round(ratio, 3),
    unit,
    target,
    ...extra,
  };
}

function round(x, d = 2) {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** The rows of an existing results file (none if it is missing or unreadable). */
export function readResults(file) {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  } catch {
    return [];
  }
}

export function writeResults(file, rows) {
  writeFileSync(file, JSON.stringify(rows, null, 2) + '\n');
}

export function printTable(rows) {
  const cols = ['id', 'value', 'baseline', 'ratio', 'unit', 'target', 'met'];
  const data = rows.map((r) => ({ ...r, met: r.met === undefined ? '' : r.met ? 'yes' : 'NO' }));
  const width = cols.map((c) => Math.max(c.length, ...data.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(width[i])).join('  ');
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of data) console.log(line(cols.map((c) => r[c])));
}
