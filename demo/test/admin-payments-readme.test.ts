/**
 * The README's integration guide and the file the demo runs are the same text (issue 14, "the
 * file a merchant copies"): the ```ts block under `<!-- payments.ts -->` in README.md is
 * demo/src/payments.ts, so the guide cannot go stale without this failing.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Line endings, trailing spaces and blank lines at either end do not count. */
const normalise = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

/** The fenced ```ts block right after the marker comment. */
function snippetAfter(markdown: string, marker: string): string | undefined {
  const at = markdown.indexOf(marker);
  if (at < 0) return undefined;
  const m = /^\s*```ts\n([\s\S]*?)\n```/.exec(markdown.slice(at + marker.length));
  return m?.[1];
}

describe('the README integration snippet', () => {
  it('should be exactly demo/src/payments.ts', async () => {
    const [readme, file] = await Promise.all([
      readFile(join(root, 'README.md'), 'utf8'),
      readFile(join(root, 'demo/src/payments.ts'), 'utf8'),
    ]);
    const snippet = snippetAfter(readme, '<!-- payments.ts -->');
    expect(snippet, 'README.md has a ```ts block after <!-- payments.ts -->').toBeDefined();
    expect(normalise(snippet!)).toBe(normalise(file));
  });

  it('should be the module the demo wires its payments with', async () => {
    const backend = await readFile(join(root, 'demo/src/alipay.ts'), 'utf8');
    expect(backend).toMatch(/import \{ createPayments \} from '\.\/payments\.js'/);
    // The kit's constructors live in payments.ts only: the demo cannot drift from the guide.
    expect(backend).not.toMatch(/\b(alipayRouter|createGatewayClient|createLedgerFromUrl)\(/);
  });

  it('should notice a changed line', () => {
    const readme = '<!-- payments.ts -->\n```ts\nconst a = 1;\n```\n';
    expect(normalise(snippetAfter(readme, '<!-- payments.ts -->')!)).not.toBe(normalise('const a = 2;\n'));
    expect(normalise(snippetAfter(readme, '<!-- payments.ts -->')!)).toBe(normalise('const a = 1;   \r\n\n'));
  });
});
