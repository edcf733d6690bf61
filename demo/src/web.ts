/**
 * Serves the Vite-built front end (demo/dist/web): clean page URLs, hashed assets cached for a
 * year, HTML never cached. Shop pages are rendered with `<html lang>` set to the buyer's language
 * (the `shop_lang` cookie the switcher writes, else `Accept-Language`), which the page's text,
 * `Intl` and `<alipay-checkout>` all follow. Unknown shop paths get the shop's 404 page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import type { AdminAuth } from './admin-auth.js';
import { DEMO_ROOT } from './config.js';

export const WEB_DIST = join(DEMO_ROOT, 'dist', 'web');

const SHOP_PAGES: Record<string, string> = {
  '/': 'index.html',
  '/cart': 'cart.html',
  '/checkout': 'checkout.html',
  '/result': 'result.html',
};

/** The languages the shop offers: the widget's locales (the shop's own text: en or zh-CN). */
export const SHOP_LANGUAGES = ['en', 'zh-CN', 'zh-TW', 'zh-HK', 'ja', 'ko', 'th'] as const;
export type ShopLanguage = (typeof SHOP_LANGUAGES)[number];

/** One BCP 47 tag → the shop language it reads best in, or undefined. */
function languageOf(tag: string): ShopLanguage | undefined {
  const t = tag.trim().toLowerCase();
  const exact = SHOP_LANGUAGES.find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  if (/^zh\b/.test(t)) return /-(hk|mo)\b/.test(t) ? 'zh-HK' : /-(tw|hant)\b/.test(t) ? 'zh-TW' : 'zh-CN';
  const primary = t.split('-')[0];
  return SHOP_LANGUAGES.find((l) => l === primary);
}

/**
 * The page language for a request: a valid `shop_lang` cookie, else the best `Accept-Language`
 * entry the shop offers (by q-value, then order), else English.
 *
 * @example
 * ```ts
 * pickLanguage(undefined, 'fr-FR,zh-CN;q=0.8,en;q=0.5'); // 'zh-CN'
 * ```
 */
export function pickLanguage(cookieHeader: string | undefined, acceptLanguage: string | undefined): ShopLanguage {
  const cookie = /(?:^|;\s*)shop_lang=([^;]*)/.exec(cookieHeader ?? '')?.[1];
  if (cookie) {
    const chosen = SHOP_LANGUAGES.find((l) => l === safeDecode(cookie));
    if (chosen) return chosen;
  }
  const ranked = (acceptLanguage ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';');
      const q = Number(params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean) ?? 1);
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const l = languageOf(tag);
    if (l) return l;
  }
  return 'en';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

export function webRouter(auth: AdminAuth, webDir = WEB_DIST): Router {
  const router = express.Router();
  const missing = !existsSync(join(webDir, 'index.html'));
  const html = new Map<string, string>();

  /** A shop page with `<html lang>` set for this request. */
  const sendShopPage = (req: Request, res: Response, file: string, status = 200): void => {
    let body = html.get(file);
    if (body === undefined) {
      body = readFileSync(join(webDir, file), 'utf8');
      html.set(file, body);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Cookie, Accept-Language');
    res
      .status(status)
      .type('html')
      .send(
        body.replace(
          '<html lang="en">',
          `<html lang="${pickLanguage(req.get('cookie'), req.get('accept-language'))}">`,
        ),
      );
  };

  const page = (file: string, shop: boolean) =>
    function servePage(req: Request, res: Response): void {
      if (missing) {
        res
          .status(503)
          .type('text/plain')
          .send('The storefront is not built yet: run `node demo/scripts/build.mjs` (or `npm run build`).');
        return;
      }
      if (shop) return sendShopPage(req, res, file);
      res.setHeader('Cache-Control', 'no-store');
      res.sendFile(join(webDir, file));
    };

  for (const [path, file] of Object.entries(SHOP_PAGES)) router.get(path, page(file, true));
  router.get('/admin/login', page('admin/login.html', false));
  router.get('/admin', auth.requirePage, page('admin/index.html', false));

  router.use(
    '/assets',
    express.static(join(webDir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }),
  );
  router.get('/favicon.svg', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(join(webDir, 'favicon.svg'));
  });
  return router;
}

/**
 * The last handler for paths nothing else answered: the shop's branded 404 page (status 404)
 * for a browser's GET, plain text for anything else. API paths get their JSON 404 before this.
 */
export function notFoundPage(webDir = WEB_DIST) {
  const file = join(webDir, '404.html');
  let body: string | undefined;
  return function shopNotFound(req: Request, res: Response): void {
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      req.accepts(['html', 'text']) === 'html' &&
      existsSync(file)
    ) {
      body ??= readFileSync(file, 'utf8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Vary', 'Cookie, Accept-Language');
      res
        .status(404)
        .type('html')
        .send(
          body.replace(
            '<html lang="en">',
            `<html lang="${pickLanguage(req.get('cookie'), req.get('accept-language'))}">`,
          ),
        );
      return;
    }
    res.status(404).type('text/plain').send('Not found');
  };
}
