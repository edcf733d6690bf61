// Types of browser-flags.mjs, for the TypeScript tests that import it (demo/test).
export declare const CHROMIUM_PATH: string;
export declare const FIREFOX_PATH: string;
export declare const WEBKIT_DRIVER_PATH: string;
export declare const MINIBROWSER_PATHS: readonly string[];
export declare const XVFB_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare const FIREFOX_PREFS: Readonly<Record<string, boolean | string>>;
