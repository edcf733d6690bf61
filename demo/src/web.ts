/**
 * Serves the Vite-built front end (demo/dist/web): clean page URLs, hashed assets cached for a
 * year, HTML never cached.
 */
import { existsSync } from 'node:fs';
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

export function webRouter(auth: AdminAuth, webDir = WEB_DIST): Router {
  const router = express.Router();
  const missing = !existsSync(join(webDir, 'index.html'));

  const page = (file: string) =>
    function servePage(_req: Request, res: Response): void {
      if (missing) {
        res.status(503).type('text/plain').send('The storefront is not built yet: run `node demo/scripts/build.mjs` (or `npm run build`).');
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.sendFile(join(webDir, file));
    };

  for (const [path, file] of Object.entries(SHOP_PAGES)) router.get(path, page(file));
  router.get('/admin/login', page('admin/login.html'));
  router.get('/admin', auth.requirePage, page('admin/index.html'));

  router.use('/assets', express.static(join(webDir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  router.get('/favicon.svg', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(join(webDir, 'favicon.svg'));
  });
  return router;
}
