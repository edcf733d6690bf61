// Node-only: core must stay isomorphic (issue #2, style.md §2). Scans packages/core/src for
// Node built-ins, Buffer, process, CommonJS and clock reads. Excluded from the browser run.
import { describe, it, assert } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const FORBIDDEN: Array<[RegExp, string]> = [
  [/from\s+['"]node:/, "from 'node:"],
  [/import\(\s*['"]node:/, "import('node:"],
  [/\brequire\s*\(/, 'require('],
  [/Buffer/, 'Buffer'],
  [/\bprocess\./, 'process.'],
  [/\bDate\.now\b/, 'Date.now'],
  [/\bnew\s+Date\s*\(/, 'new Date('],
  [/\bperformance\.now\b/, 'performance.now'],
  [/\bfetch\s*\(/, 'fetch('],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('core isomorphism', () => {
  const all = files(SRC);
  it('finds the sources', () => {
    assert.isAbove(all.length, 20);
  });
  it('uses no Node built-ins, Buffer, process, require or clock reads in src, comments included', () => {
    const hits: string[] = [];
    for (const f of all) {
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const [re, what] of FORBIDDEN) if (re.test(line)) hits.push(`${relative(SRC, f)}:${i + 1}: ${what}`);
      });
    }
    assert.deepEqual(hits, []);
  });
  it('imports only relative modules, @noble/hashes and fast-xml-parser', () => {
    const bad: string[] = [];
    for (const f of all) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.') && !spec.startsWith('@noble/hashes/') && spec !== 'fast-xml-parser') bad.push(`${relative(SRC, f)}: ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });
});
