// The three browser engines buyers use, as @web/test-runner launchers built only from Debian's
// packages (no browser download works on these machines):
//
//   chromium  /usr/bin/chromium (package chromium), puppeteer-core over CDP
//   firefox   /usr/bin/firefox-esr (package firefox-esr), puppeteer-core over WebDriver BiDi
//             (Firefox speaks BiDi itself: no geckodriver, which Debian does not package)
//   webkit    /usr/bin/WebKitWebDriver + WebKitGTK's MiniBrowser (package webkit2gtk-driver),
//             over classic WebDriver with webdriverio, in an Xvfb display we start (package xvfb):
//             WebKitGTK has no headless mode
//
// Used by web-test-runner.config.mjs (WTR_BROWSER picks one) and scripts/test-browsers.mjs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromeLauncher } from '@web/test-runner-chrome';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import * as puppeteer from 'puppeteer-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  FIREFOX_PATH,
  FIREFOX_PREFS,
  MINIBROWSER_PATHS,
  WEBKIT_DRIVER_PATH,
  XVFB_PATH,
} from './browser-flags.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

export { CHROMIUM_ARGS, CHROMIUM_PATH, FIREFOX_PATH, FIREFOX_PREFS, MINIBROWSER_PATHS, WEBKIT_DRIVER_PATH, XVFB_PATH };

/** Debian package(s) each engine needs, for scripts/run.mjs to install when missing. */
export const ENGINE_PACKAGES = {
  chromium: [{ file: CHROMIUM_PATH, pkg: 'chromium' }],
  firefox: [{ file: FIREFOX_PATH, pkg: 'firefox-esr' }],
  webkit: [
    { file: WEBKIT_DRIVER_PATH, pkg: 'webkit2gtk-driver' },
    { file: XVFB_PATH, pkg: 'xvfb' },
  ],
};

/** What is missing for an engine on this machine (empty: it can run). */
export function missingFor(engine) {
  const missing = ENGINE_PACKAGES[engine].filter((p) => !existsSync(p.file)).map((p) => p.file);
  if (engine === 'webkit' && !MINIBROWSER_PATHS.some((p) => existsSync(p))) missing.push(MINIBROWSER_PATHS[0]);
  return missing;
}

export function chromiumLauncher() {
  return chromeLauncher({ launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS } });
}

export function firefoxLauncher() {
  // A custom puppeteer makes test-runner-chrome name the launcher after launchOptions.browser
  // ("Firefox") and skip Chromium-only coverage; its type stays 'puppeteer', so
  // @web/test-runner-commands (sendKeys, emulateMedia, setUserAgent) work through BiDi.
  return chromeLauncher({
    puppeteer,
    launchOptions: {
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      extraPrefsFirefox: FIREFOX_PREFS,
    },
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Start Xvfb on the first free display; resolves with ':N' and the process. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display and writes its number to fd 3 once it is ready.
    const x = spawn(XVFB_PATH, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let out = '';
    x.stderr.on('data', (d) => (err += d));
    x.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, proc: x });
    });
    x.once('error', reject);
    x.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${err.trim()}`)));
  });
}

/**
 * WebKitGTK through WebKitWebDriver. @web/test-runner-webdriver expects a WebDriver server to be
 * running already: this launcher starts Xvfb and WebKitWebDriver on free ports before the first
 * session and stops both with the run.
 */
export class WebKitGtkLauncher extends WebdriverLauncher {
  constructor() {
    const binary = MINIBROWSER_PATHS.find((p) => existsSync(p)) ?? MINIBROWSER_PATHS[0];
    super({
      hostname: '127.0.0.1',
      port: 0, // set in initialize()
      path: '/',
      logLevel: 'error',
      connectionRetryCount: 1,
      capabilities: {
        browserName: 'MiniBrowser',
        // webdriverio 9 asks for BiDi (webSocketUrl) by default; WebKitWebDriver refuses the
        // whole session for it ("Failed to match capabilities").
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary, args: ['--automation'] },
      },
    });
    this.processes = [];
    // wtr can exit without stop() (a crashed session ends the run): never leave Xvfb or the
    // driver (and its MiniBrowser) behind.
    process.once('exit', () => this.#killAll());
  }

  async initialize(config, testFiles) {
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
    let display = process.env.WTR_WEBKIT_DISPLAY;
    if (!display) {
      const x = await startXvfb();
      this.processes.push(x.proc);
      display = x.display;
    }
    const port = await freePort();
    // Its own process group, so that stopping it stops the MiniBrowser it started too.
    const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        DISPLAY: display,
        GDK_BACKEND: 'x11',
        WEBKIT_DISABLE_COMPOSITING_MODE: '1',
        LIBGL_ALWAYS_SOFTWARE: '1',
      },
    });
    driver.stderr.on('data', (d) => {
      if (process.env.WTR_WEBKIT_DEBUG) process.stderr.write(d);
    });
    this.processes.push(driver);
    this.options.port = port;
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/status`);
        if (r.ok) return;
      } catch {
        /* not listening yet */
      }
      if (driver.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`WebKitWebDriver did not start on port ${port} (exit code ${driver.exitCode})`);
  }

  async stop() {
    await super.stop();
    this.#killAll();
  }

  #killAll() {
    for (const p of this.processes.reverse()) {
      if (p.exitCode !== null) continue;
      try {
        process.kill(p.spawnargs[0] === WEBKIT_DRIVER_PATH ? -p.pid : p.pid, 'SIGTERM');
      } catch {
        /* gone already */
      }
    }
    this.processes = [];
  }
}

export function webkitLauncher() {
  return new WebKitGtkLauncher();
}

export function launcherFor(engine) {
  if (engine === 'chromium') return chromiumLauncher();
  if (engine === 'firefox') return firefoxLauncher();
  if (engine === 'webkit') return webkitLauncher();
  throw new Error(`unknown browser engine "${engine}" (one of ${ENGINES.join(', ')})`);
}
