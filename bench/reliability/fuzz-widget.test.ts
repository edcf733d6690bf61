// Fuzzing <alipay-checkout> attributes (issue 8) in headless Chromium — a custom element needs a
// real DOM, so this runs in a browser rather than Node. fast-check generates the cases here; the
// page creates an element per case with those attributes (and a fuzzed return query in the
// address bar), clicks pay against a fake router that answers garbage, and reports back.
// Outcome required: no uncaught exception or unhandled rejection, the element keeps rendering,
// no injected markup, never a navigation to anything but http(s), never an alert().
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_RUNS, SEED } from './helpers/env.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/wtr/browser-flags.mjs';

const BUNDLE = fileURLToPath(new URL('../../packages/widget/dist/alipay-checkout.bundle.js', import.meta.url));
const ORIGIN = 'http://widget.test';
const ANSWERS: Array<{ status: number; body: string }> = [
  { status: 500, body: 'Internal Server Error' },
  { status: 200, body: '{}' },
  { status: 200, body: 'not json' },
  { status: 200, body: '{"outTradeNo":1}' },
  {
    status: 200,
    body: JSON.stringify({
      outTradeNo: 'A1',
      orderToken: 't',
      url: 'javascript:alert(1)',
      form: { action: 'javascript:alert(2)', method: 'POST', fields: {} },
    }),
  },
  {
    status: 200,
    body: JSON.stringify({
      outTradeNo: 'A1',
      orderToken: 't',
      url: `${ORIGIN}/cashier?x=1`,
      form: { action: `${ORIGIN}/gateway.do`, method: 'POST', fields: { a: '"><img src=x onerror=alert(3)>' } },
    }),
  },
  { status: 400, body: '{"error":{"code":"ERR_INVALID_PARAMS","message":"<img src=x onerror=alert(4)>"}}' },
  { status: 200, body: '{"outTradeNo":"A1","status":"paid","verified":true}' },
  { status: 401, body: '{"error":{"code":"ERR_UNAUTHORIZED"}}' },
];

const str = (extra: string[]) =>
  fc.oneof(
    fc.string({ maxLength: 40, unit: 'binary' }).filter((s) => s.isWellFormed()),
    fc.constantFrom(...extra),
  );
const caseArb = fc.record({
  endpoint: fc.option(
    str([
      '/alipay',
      `${ORIGIN}/alipay`,
      'javascript:alert(5)',
      '//evil.example',
      '',
      '/',
      '?',
      '#',
      '/alipay/../../x',
      'data:text/html,x',
    ]),
    { nil: null },
  ),
  order: fc.option(
    str([
      '{"cart":"c1"}',
      '{"a":',
      '[]',
      'null',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '1e309',
      '"x"',
      '{'.repeat(5000),
    ]),
    { nil: null },
  ),
  locale: fc.option(str(['zh-HK', 'zh-CN', 'en', 'xx-@@-invalid', '', 'ja-JP-u-ca-japanese', 'en-'.repeat(200)]), {
    nil: null,
  }),
  variant: fc.option(str(['web', 'wap', 'auto', 'WEB', '']), { nil: null }),
  label: fc.option(str(['<img src=x onerror=alert(6)>', '${x}', '\u202Eevil', 'x'.repeat(10_000)]), { nil: null }),
  disabled: fc.option(str(['', 'false', 'disabled']), { nil: null }),
  pollTimeout: fc.option(str(['NaN', '-1', '0', '1e309', '5', '0x10', ' 3 ']), { nil: null }),
  query: str([
    'out_trade_no=A1',
    'out_trade_no=A1&sign=abc&sign_type=MD5&trade_status=TRADE_FINISHED',
    'out_trade_no=%E0%A4%A',
    'out_trade_no=' + 'A'.repeat(5000),
    '__proto__=x&out_trade_no=A1',
    'out_trade_no=javascript:alert(7)',
  ]),
  answer: fc.nat(ANSWERS.length - 1),
  click: fc.boolean(),
});

describe('<alipay-checkout> with fuzzed attribute values (Chromium)', () => {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let answer = 0;
  let routed = 0;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      pageErrors.push(`dialog ${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    const bundle = readFileSync(BUNDLE, 'utf8');
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) return route.fulfill({ status: 404, body: '' });
      if (url.pathname === '/bundle.js')
        return route.fulfill({ status: 200, contentType: 'text/javascript', body: bundle });
      if (url.pathname === '/' || url.pathname === '/page')
        return route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<!doctype html><html lang="en"><body><script type="module" src="/bundle.js"></script></body></html>',
        });
      routed++;
      const a = ANSWERS[answer % ANSWERS.length]!;
      return route.fulfill({ status: a.status, contentType: 'application/json', body: a.body });
    });
    await page.goto(`${ORIGIN}/page`);
    await page.waitForFunction(() => !!customElements.get('alipay-checkout'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`should keep rendering without uncaught errors, injected markup or non-http navigation for ${FUZZ_RUNS} cases`, async () => {
    const cases = fc.sample(caseArb, { numRuns: FUZZ_RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
    const problems: string[] = [];
    for (let i = 0; i < cases.length; i += 25) {
      const batch = cases.slice(i, i + 25);
      answer = batch[0]!.answer;
      const out = await page.evaluate(async (batch) => {
        const issues: string[] = [];
        for (const c of batch) {
          history.replaceState(null, '', '/page?' + c.query);
          const el = document.createElement('alipay-checkout') as HTMLElement & {
            updateComplete: Promise<unknown>;
            navigate: (x: unknown) => void;
          };
          const navigations: string[] = [];
          el.navigate = (x: unknown) =>
            void navigations.push(
              String(
                (x as { url?: string; form?: { action?: string } })?.url ||
                  (x as { form?: { action?: string } })?.form?.action,
              ),
            );
          for (const [k, v] of [
            ['endpoint', c.endpoint],
            ['order', c.order],
            ['locale', c.locale],
            ['variant', c.variant],
            ['label', c.label],
            ['disabled', c.disabled],
            ['poll-timeout', c.pollTimeout],
          ] as const)
            if (v !== null) el.setAttribute(k, v);
          document.body.append(el);
          await el.updateComplete;
          const pay = el.shadowRoot?.querySelector('button.pay') as HTMLButtonElement | null;
          if (c.click && pay && !pay.disabled) {
            pay.click();
            await new Promise((r) => setTimeout(r, 20));
          }
          await el.updateComplete;
          if (!el.shadowRoot?.querySelector('.root')) issues.push(`no .root for ${JSON.stringify(c).slice(0, 200)}`);
          if (el.shadowRoot?.querySelector('img, script, iframe'))
            issues.push(`injected markup for ${JSON.stringify(c).slice(0, 200)}`);
          for (const n of navigations) if (!/^https?:/i.test(n)) issues.push(`navigation to ${n.slice(0, 80)}`);
          el.remove();
        }
        history.replaceState(null, '', '/page');
        return { issues, polluted: ({} as Record<string, unknown>).polluted !== undefined };
      }, batch);
      problems.push(...out.issues);
      if (out.polluted) problems.push('Object.prototype polluted');
    }
    // Give pending fetches and timers a moment to surface errors.
    await page.waitForTimeout(300);
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
    // How many requests get out before the element is removed depends on the machine's load, so
    // this only proves the network path was exercised at all.
    expect(routed, 'clicks and return queries reached the fake router').toBeGreaterThan(0);
  });
});
