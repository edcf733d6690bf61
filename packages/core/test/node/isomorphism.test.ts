// Node-only: core must stay isomorphic (issue #2, style.md §2). The rule lives in the workspace
// ESLint config (scripts/lint/core-purity.js, issue #16 point 7); this test runs ESLint on
// packages/core/src and proves the rule catches each thing it forbids. Excluded from the browser run.
import { describe, it, assert } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** Lint `code` as if it were a file in core's sources; the rule ids and lines it reports. */
async function lintAsCore(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}packages/core/src/probe.ts` });
  return result!.messages.map((m) => `${m.ruleId}:${m.line}`);
}

describe('core isomorphism (ESLint, scripts/lint/core-purity.js)', () => {
  it('should lint packages/core/src with no error and no warning', async () => {
    const results = await eslint.lintFiles(['packages/core/src']);
    assert.isAbove(results.length, 20, 'finds the sources');
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath.slice(ROOT.length)}:${m.line} ${m.ruleId} ${m.message}`),
    );
    assert.deepEqual(problems, []);
  });

  it('should report a node:fs import, a bare built-in, an I/O package and a dynamic import', async () => {
    assert.deepEqual(await lintAsCore("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"), [
      'no-restricted-imports:1',
    ]);
    assert.deepEqual(await lintAsCore("import { createHash } from 'crypto';\nexport const h = createHash;\n"), [
      'no-restricted-imports:1',
    ]);
    assert.deepEqual(await lintAsCore("export { default as ky } from 'ky';\n"), ['no-restricted-imports:1']);
    assert.deepEqual(await lintAsCore("export const m = () => import('node:http');\n"), ['no-restricted-syntax:1']);
  });

  it('should report process, Buffer, require, fetch and clock reads', async () => {
    const code = [
      'export const a = process.env.X;',
      "export const b = Buffer.from('x');",
      "export const c = require('x');",
      "export const d = fetch('https://example.com');",
      'export const e = Date.now();',
      'export const f = new Date(0);',
      'export const g = performance.now();',
      'export const h = globalThis.process;',
      '',
    ].join('\n');
    assert.deepEqual(await lintAsCore(code), [
      'no-restricted-globals:1',
      'no-restricted-globals:2',
      'no-restricted-globals:3',
      '@typescript-eslint/no-require-imports:3', // from the recommended set
      'no-restricted-globals:4',
      'no-restricted-properties:5',
      'no-restricted-syntax:6',
      'no-restricted-properties:7',
      'no-restricted-properties:8',
    ]);
  });

  it('should allow what core does import: relative modules, @noble/hashes/* and fast-xml-parser', async () => {
    const code =
      "import { md5 } from '@noble/hashes/legacy.js';\nimport { XMLParser } from 'fast-xml-parser';\nimport { toHex } from './lib/bytes.js';\nexport const x = [md5, XMLParser, toHex];\n";
    assert.deepEqual(await lintAsCore(code), []);
  });

  it('should not apply the rule outside core', async () => {
    const [result] = await eslint.lintText(
      "import { readFileSync } from 'node:fs';\nexport const f = [readFileSync, process.env];\n",
      { filePath: `${ROOT}packages/server-kit/src/probe.ts` },
    );
    assert.deepEqual(result!.messages, []);
  });
});
