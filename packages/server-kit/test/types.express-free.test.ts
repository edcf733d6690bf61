// server-kit's published types need neither `express` nor `@types/express` (issue 15): the
// declarations are emitted from src, checked for any reference to Express, and a merchant's strict
// TypeScript file (skipLibCheck: false) is compiled against them in a project that has no express
// and no @types/express installed (its node_modules holds only core, @types/node and the SQLite types).
// `resolveOrder`'s request is typed (not `any`), core's error classes come from server-kit.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkg = join(import.meta.dirname, '..');
const root = join(pkg, '..', '..');
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const work = join(tmpdir(), `ak-types-check-${process.pid}`);
const out = join(work, 'dts');

function run(args: string[]): string {
  try {
    return execFileSync(tsc, args, {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `FAILED\n${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // A merchant project without express: only what the declarations legitimately need.
  const require = createRequire(join(pkg, 'package.json'));
  const link = (name: string, target: string) => {
    mkdirSync(dirname(join(work, 'node_modules', name)), { recursive: true });
    symlinkSync(realpathSync(target), join(work, 'node_modules', name), 'dir');
  };
  link('@alipay-kit/core', join(root, 'packages', 'core'));
  link('@types/node', join(root, 'node_modules', '@types', 'node'));
  link('@types/better-sqlite3', dirname(require.resolve('@types/better-sqlite3/package.json')));
  // Declarations only, from the sources as they are now (core's come from its build, as for a merchant).
  const emitted = run([
    '-p',
    join(pkg, 'tsconfig.json'),
    '--emitDeclarationOnly',
    '--declarationMap',
    'false',
    '--outDir',
    out,
    '--tsBuildInfoFile',
    join(work, 'tsbuildinfo'),
  ]);
  expect(emitted).not.toContain('FAILED');
}, 120_000);

afterAll(() => {
  if (!process.env.KEEP_TYPES_CHECK) rmSync(work, { recursive: true, force: true });
});

describe("server-kit's declarations", () => {
  it('should import nothing from express', () => {
    const dts = files(out).filter((f) => f.endsWith('.d.ts'));
    expect(dts.length).toBeGreaterThan(20);
    const mentions = dts
      .filter((f) =>
        /from ['"](?:express|@types\/express)['"]|import\(['"]express['"]\)|reference types=['"]express['"]/.test(
          readFileSync(f, 'utf8'),
        ),
      )
      .map((f) => relative(out, f));
    expect(mentions).toEqual([]);
  });

  it("should type a strict merchant file without @types/express: resolveOrder's request, the Fetch handler, the errors", () => {
    const index = `./${relative(work, join(out, 'index.js')).split('\\').join('/')}`;
    writeFileSync(
      join(work, 'merchant.ts'),
      `import { alipayRouter, alipayFetchHandler, AlipayError, AlipayValidationError, AlipayKeyError, AlipayLedgerError, isAlipayError, type AlipayErrorCode, type AlipayRouterOptions, type GatewayClient, type Ledger } from '${index}';
declare const client: GatewayClient;
declare const ledger: Ledger;
const options: AlipayRouterOptions = {
  client, ledger, tokenSecret: 'x'.repeat(32), notifyUrl: 'https://s.example/a/notify', returnUrl: 'https://s.example/a/return',
  resolveOrder: (req) => {
    const sku: unknown = (req.body as { sku?: unknown }).sku;
    const cookie: string | undefined = req.get('cookie');
    // @ts-expect-error req is typed, not any: method is a string
    const n: number = req.method;
    return { amount: '1.00', currency: 'USD', subject: String(sku) + String(cookie) + String(n) };
  },
  authorize: (req) => req.get('x-admin') === 'ok' || 401,
};
const router = alipayRouter(options);
router.close();
const handler = alipayFetchHandler({ ...options, resolveOrder: (req) => ({ amount: '1.00', currency: 'USD', subject: req.url.pathname + req.request.method }) });
const answer: Promise<Response> = handler(new Request('https://s.example/a/orders/X'));
function code(e: unknown): AlipayErrorCode | undefined {
  if (e instanceof AlipayValidationError || e instanceof AlipayKeyError || e instanceof AlipayLedgerError) return e.code;
  return isAlipayError(e) ? e.code : e instanceof AlipayError ? e.code : undefined;
}
void answer; void code;
`,
    );
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
        },
        files: ['merchant.ts'],
      }),
    );
    const result = run(['-p', join(work, 'tsconfig.json')]);
    expect(result, result).not.toContain('FAILED');
  });
});
