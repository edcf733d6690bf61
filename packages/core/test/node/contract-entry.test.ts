// Node-only: `@alipay-kit/core/contract` is a types-only entry (issue #16 point 5). The widget
// imports it with `import type`; an accidental value export would put bytes in its bundle.
import { describe, it, assert } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PKG = fileURLToPath(new URL('../../', import.meta.url));
const source = readFileSync(`${PKG}src/contract.ts`, 'utf8');

describe('@alipay-kit/core/contract', () => {
  it('should be an `exports` entry with types and an (empty) module', () => {
    const pkg = JSON.parse(readFileSync(`${PKG}package.json`, 'utf8')) as { exports: Record<string, unknown> };
    assert.deepEqual(pkg.exports['./contract'], { types: './dist/contract.d.ts', default: './dist/contract.js' });
  });

  it('should compile to a module with no run-time statement', () => {
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    const code = js
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .trim();
    assert.strictEqual(code, 'export {};');
  });

  it('should declare every router body and answer type', () => {
    for (const name of [
      'CheckoutRequest',
      'CheckoutResponse',
      'CheckoutForm',
      'PublicOrder',
      'PublicOrderStatus',
      'OrderStatusResponse',
      'ReturnRequest',
      'ReturnResponse',
      'RefundRequest',
      'RefundResponse',
      'ReconcileRequest',
      'ErrorResponse',
    ]) {
      assert.match(source, new RegExp(`^export (interface|type) ${name}\\b`, 'm'), name);
    }
    assert.match(source, /^export type \{ AlipayErrorCode, RouterErrorCode \} from '\.\/errors\.js';$/m);
  });
});
