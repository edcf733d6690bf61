/**
 * A small browser adapter for the cross-engine end-to-end tests. playwright-core drives only
 * Chromium here (its Firefox and WebKit are patched builds this machine cannot download), so:
 *
 *   chromium  Debian's /usr/bin/chromium through puppeteer-core (CDP)
 *   firefox   Debian's /usr/bin/firefox-esr through puppeteer-core (WebDriver BiDi, built into Firefox)
 *   webkit    WebKitGTK's MiniBrowser through WebKitWebDriver (Debian's webkit2gtk-driver) and
 *             webdriverio, in an Xvfb display (WebKitGTK has no headless mode)
 *
 * The same launchers as the @web/test-runner suites (scripts/wtr/engines.mjs). Each test gets a
 * fresh browser session (its own cookies and sessionStorage).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  FIREFOX_PATH,
  FIREFOX_PREFS,
  MINIBROWSER_PATHS,
  WEBKIT_DRIVER_PATH,
  XVFB_PATH,
} from '../../scripts/wtr/browser-flags.mjs';

export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: Engine[] = ['chromium', 'firefox', 'webkit'];

const WEBKIT_DRIVER = WEBKIT_DRIVER_PATH;
const MINIBROWSER = MINIBROWSER_PATHS.find((p) => existsSync(p));

/** The engines this run covers: E2E_ENGINES=firefox,webkit (default: every engine installed). */
export function enginesToRun(): Engine[] {
  const asked = (process.env.E2E_ENGINES ?? ENGINES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as Engine[];
  return asked.filter((e) => ENGINES.includes(e));
}

/** Why an engine cannot run on this machine, or undefined. */
export function missing(engine: Engine): string | undefined {
  if (engine === 'chromium')
    return existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} (Debian package chromium)`;
  if (engine === 'firefox')
    return existsSync(FIREFOX_PATH) ? undefined : `${FIREFOX_PATH} (Debian package firefox-esr)`;
  if (!existsSync(WEBKIT_DRIVER) || !MINIBROWSER)
    return `${WEBKIT_DRIVER} and MiniBrowser (Debian package webkit2gtk-driver)`;
  if (!existsSync(XVFB_PATH)) return `${XVFB_PATH} (Debian package xvfb)`;
  return undefined;
}

/** What a test needs from a page, in every engine. */
export interface EnginePage {
  readonly engine: Engine;
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  reload(): Promise<void>;
  /** Run an expression in the page (a function body returning a JSON value). */
  run<T>(body: string): Promise<T>;
  /** A real (trusted) click on the first element matching `css`, inside `host`'s shadow root when given. */
  click(css: string, host?: string): Promise<void>;
  select(css: string, value: string): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll an expression in the page until it is truthy. */
export async function waitFor(page: EnginePage, body: string, what: string, timeout = 15_000): Promise<void> {
  const until = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      if (await page.run<boolean>(`return !!(${body})`)) return;
    } catch (e) {
      last = e; // navigating: the page's context is gone for a moment
    }
    if (Date.now() > until) {
      const where = await page
        .run<string>(
          `return location.href + ' · ' + document.title + ' · ' + (document.querySelector('main')?.innerText ?? '').replace(/\\s+/g, ' ').slice(0, 300)`,
        )
        .catch((e) => `(page unreadable: ${String(e)})`);
      throw new Error(
        `${page.engine}: timed out after ${timeout} ms waiting for ${what}; the page: ${where}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await sleep(100);
  }
}

export const text = (page: EnginePage, css: string) =>
  page.run<string | null>(`return document.querySelector(${JSON.stringify(css)})?.textContent ?? null`);

/** One browser per engine for a test file; `newPage()` opens an isolated session in it. */
export interface EngineBrowser {
  readonly engine: Engine;
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}

function puppeteerPage(engine: Engine, page: puppeteer.Page, done: () => Promise<void>): EnginePage {
  return {
    engine,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async url() {
      return page.url();
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    async run<T>(body: string) {
      return (await page.evaluate(`(() => { ${body} })()`)) as T;
    },
    async click(css, host) {
      const handle = await page.waitForSelector(host ? `${host} >>> ${css}` : css, { visible: true, timeout: 15_000 });
      await handle!.click();
      await handle!.dispose();
    },
    async select(css, value) {
      await page.select(css, value);
    },
    close: done,
  };
}

async function launchPuppeteer(engine: 'chromium' | 'firefox'): Promise<EngineBrowser> {
  const browser =
    engine === 'chromium'
      ? await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
      : await puppeteer.launch({
          browser: 'firefox',
          executablePath: FIREFOX_PATH,
          headless: true,
          extraPrefsFirefox: { ...FIREFOX_PREFS },
        });
  return {
    engine,
    async newPage() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width: 1280, height: 860 });
      return puppeteerPage(engine, page, () => context.close());
    },
    close: () => browser.close(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function startXvfb(): Promise<{ display: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const x = spawn(XVFB_PATH, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    x.stderr!.on('data', (d) => (err += d));
    x.stdio[3]!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, proc: x });
    });
    x.once('error', reject);
    x.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${err.trim()}`)));
  });
}

async function launchWebKit(): Promise<EngineBrowser> {
  const xvfb = await startXvfb();
  const port = await freePort();
  // Its own process group: stopping it stops the MiniBrowser it started too.
  const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, DISPLAY: xvfb.display, GDK_BACKEND: 'x11' },
  });
  const stop = () => {
    try {
      if (driver.exitCode === null) process.kill(-driver.pid!, 'SIGTERM');
    } catch {
      /* gone already */
    }
    xvfb.proc.kill('SIGTERM');
  };
  process.once('exit', stop);
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) break;
      } catch {
        /* not yet */
      }
      if (i > 100 || driver.exitCode !== null)
        throw new Error(`WebKitWebDriver did not start (exit code ${driver.exitCode})`);
      await sleep(100);
    }
  } catch (e) {
    stop();
    throw e;
  }
  return {
    engine: 'webkit',
    async newPage() {
      // WebKitWebDriver runs one session at a time: each page is a session, closed with it.
      const b = await remote({
        hostname: '127.0.0.1',
        port,
        path: '/',
        logLevel: 'error',
        connectionRetryCount: 1,
        capabilities: {
          browserName: 'MiniBrowser',
          'wdio:enforceWebDriverClassic': true,
          'webkitgtk:browserOptions': { binary: MINIBROWSER!, args: ['--automation'] },
        } as WebdriverIO.Capabilities,
      });
      await b.setWindowSize(1280, 860).catch(() => undefined);
      return {
        engine: 'webkit',
        async goto(url) {
          await b.url(url);
        },
        url: () => b.getUrl(),
        async reload() {
          await b.refresh();
        },
        async run<T>(body: string) {
          return (await b.execute(body)) as T;
        },
        async click(css, host) {
          const el = host ? await b.$(host).shadow$(css) : await b.$(css);
          await el.waitForDisplayed({ timeout: 15_000 });
          await el.click();
        },
        async select(css, value) {
          await b.$(css).selectByAttribute('value', value);
        },
        async close() {
          await b.deleteSession();
        },
      };
    },
    async close() {
      stop();
    },
  };
}

export function launch(engine: Engine): Promise<EngineBrowser> {
  return engine === 'webkit' ? launchWebKit() : launchPuppeteer(engine);
}
