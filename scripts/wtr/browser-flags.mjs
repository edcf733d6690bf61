// Where Debian puts each browser engine, and the flags every launcher gives it (toolchain.md
// "Chromium"). One module for the @web/test-runner launchers (scripts/wtr/engines.mjs), the
// demo's end-to-end tests (demo/test/engines.ts, global-setup.ts) and bench/p5-e2e.mjs.
// No browser download works on these machines: never `playwright install`.

/** Debian package chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Debian package firefox-esr (speaks WebDriver BiDi itself: no geckodriver). */
export const FIREFOX_PATH = '/usr/bin/firefox-esr';
/** Debian package webkit2gtk-driver. */
export const WEBKIT_DRIVER_PATH = '/usr/bin/WebKitWebDriver';
/** WebKitGTK's MiniBrowser, per architecture (webkit2gtk-driver pulls it in). */
export const MINIBROWSER_PATHS = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
];
/** Debian package xvfb: WebKitGTK has no headless mode. */
export const XVFB_PATH = '/usr/bin/Xvfb';

/** Chromium as root, headless, off the network at start. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
];

/** Firefox: keep it off the (closed) network at start; puppeteer adds its own automation prefs. */
export const FIREFOX_PREFS = {
  'app.normandy.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'browser.region.update.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.captive-portal-service.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'browser.translations.enable': false,
  'browser.backup.enabled': false,
};
