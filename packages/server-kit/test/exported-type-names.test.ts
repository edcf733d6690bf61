// No type name is exported by two packages with different declarations (issue #16 point 6): a
// merchant importing `OrderStatus` or `Verifier` gets one meaning whichever package it comes
// from. The names are read from the built declarations (dist/*.d.ts) of every `exports` entry of
// every published package with the TypeScript compiler API; a re-export of core's type is the
// same declaration and passes, a look-alike declared again fails.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const PACKAGES = ['core', 'server-kit', 'sandbox', 'widget'];

interface Entry {
  pkg: string;
  subpath: string;
  file: string;
}

/** Every `exports` entry of a package that has declarations. */
function entries(pkg: string): Entry[] {
  const dir = join(ROOT, 'packages', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types?: string }>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) =>
    typeof target === 'object' && target.types ? [{ pkg, subpath, file: join(dir, target.types) }] : [],
  );
}

const TYPE_FLAGS = ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;

/** name → where it is declared ("file:pos"), for every type an entry exports. */
function exportedTypes(checker: ts.TypeChecker, program: ts.Program, file: string): Map<string, string> {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${relative(ROOT, file)} is missing: build first (tsc -b)`);
  const moduleSymbol = checker.getSymbolAtLocation(source)!;
  const out = new Map<string, string>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(target.flags & TYPE_FLAGS)) continue;
    const decl =
      target.declarations?.find(
        (d) =>
          ts.isInterfaceDeclaration(d) ||
          ts.isTypeAliasDeclaration(d) ||
          ts.isClassDeclaration(d) ||
          ts.isEnumDeclaration(d),
      ) ?? target.declarations![0]!;
    // The package's own dist, or its source when resolved through a workspace link: one key either way.
    const where = relative(ROOT, decl.getSourceFile().fileName)
      .replace(/\/(dist|src)\//, '/')
      .replace(/\.d\.ts$|\.ts$/, '');
    out.set(exported.name, `${where}:${target.name}`);
  }
  return out;
}

describe('exported type names across packages', () => {
  const all = PACKAGES.flatMap(entries);
  const program = ts.createProgram(
    all.map((e) => e.file),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const byName = new Map<string, Map<string, string[]>>(); // name → declaration → "pkg subpath"

  for (const e of all) {
    for (const [name, where] of exportedTypes(checker, program, e.file)) {
      const decls = byName.get(name) ?? new Map<string, string[]>();
      decls.set(where, [...(decls.get(where) ?? []), `${e.pkg}${e.subpath.slice(1)}`]);
      byName.set(name, decls);
    }
  }

  it('should read the declarations of every entry of every package', () => {
    expect(all.map((e) => `${e.pkg}${e.subpath.slice(1)}`)).toEqual(
      expect.arrayContaining([
        'core',
        'core/encoding',
        'core/contract',
        'server-kit',
        'server-kit/sqlite',
        'server-kit/postgres',
        'sandbox',
        'widget',
      ]),
    );
    expect(byName.size).toBeGreaterThan(100);
    expect(byName.get('AlipayErrorCode')?.size).toBe(1); // re-exported by server-kit: one declaration
  });

  it('should export no type name from two packages with different declarations', () => {
    const clashes: string[] = [];
    for (const [name, decls] of byName) {
      const packages = new Set([...decls.values()].flat().map((e) => e.split('/')[0]));
      if (decls.size > 1 && packages.size > 1)
        clashes.push(`${name}: ${[...decls].map(([where, from]) => `${from.join(', ')} (${where})`).join(' vs ')}`);
    }
    expect(clashes).toEqual([]);
  });
});
