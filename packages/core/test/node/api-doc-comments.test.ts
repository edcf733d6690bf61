// Every public export of every published package entry has a doc comment (issue #15, "API
// reference"): the reference `npm run docs` generates (TypeDoc over the same entries) has no
// blank pages. Read with the TypeScript compiler over the built declarations (dist/*.d.ts named
// by each package.json `exports` `types`), following re-exports to the declaration that
// carries the comment. Runs after the build (`npm test` builds first).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** `@alipay-kit/x[/sub]` → its .d.ts, for every non-private package under packages/. */
function publicEntries(): { entry: string; file: string }[] {
  const out: { entry: string; file: string }[] = [];
  for (const dir of ['core', 'server-kit', 'widget', 'sandbox', 'test-vectors']) {
    const pkgDir = join(root, 'packages', dir);
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      exports: Record<string, unknown>;
    };
    if (pkg.private) continue;
    for (const [sub, target] of Object.entries(pkg.exports)) {
      const types = typeof target === 'object' && target !== null ? (target as { types?: string }).types : undefined;
      if (types) out.push({ entry: sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`, file: join(pkgDir, types) });
    }
  }
  return out;
}

/** The exported names of `file` whose declarations carry no doc comment. */
function undocumented(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not built: run the build first`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return []; // a module with no exports (e.g. a types-only entry with none)
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = symbol.declarations ?? [];
    const documented =
      decls.some((d) => ts.getJSDocCommentsAndTags(d).length > 0) || symbol.getDocumentationComment(checker).length > 0;
    if (!documented) missing.push(exported.name);
  }
  return missing;
}

describe('API reference coverage', () => {
  const entries = publicEntries();
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      noEmit: true,
      skipLibCheck: true,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      typeRoots: [join(root, 'node_modules/@types')],
    },
  );

  it('lists the entries of every published package, each with exports to check', () => {
    expect(entries.map((e) => e.entry)).toEqual(
      expect.arrayContaining([
        '@alipay-kit/core',
        '@alipay-kit/server-kit',
        '@alipay-kit/widget',
        '@alipay-kit/sandbox',
      ]),
    );
    const checker = program.getTypeChecker();
    const counts = entries.map(
      (e) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(e.file)!)!).length,
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  });

  it('names an export without a doc comment, including one re-exported from another file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-docs-'));
    try {
      writeFileSync(
        join(dir, 'inner.d.ts'),
        '/** Documented. */\nexport declare function documented(): void;\nexport declare function bare(): void;\n',
      );
      writeFileSync(
        join(dir, 'index.d.ts'),
        "export { documented, bare } from './inner.js';\n/** A constant. */\nexport declare const ok = 1;\nexport interface Plain { a: string }\n",
      );
      const probe = ts.createProgram([join(dir, 'index.d.ts')], {
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: [],
      });
      expect(undocumented(probe, join(dir, 'index.d.ts')).sort()).toEqual(['Plain', 'bare']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(entries.map((e) => [e.entry, e.file] as const))('every export of %s has a doc comment', (_entry, file) => {
    expect(undocumented(program, file)).toEqual([]);
  });
});
