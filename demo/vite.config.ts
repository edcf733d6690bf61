import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const web = (p: string) => fileURLToPath(new URL(`./web/${p}`, import.meta.url));

// The storefront and admin: plain multi-page HTML + TypeScript modules, built to demo/dist/web
// and served by the demo's Express app (src/web.ts). No inline scripts or styles are emitted, so
// the pages run under `script-src 'self'; style-src 'self'`.
export default defineConfig({
  root: web(''),
  publicDir: web('public'),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Never inline assets as data: URLs (keeps img-src/font-src simple) and never inline CSS.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    rollupOptions: {
      input: {
        index: web('index.html'),
        cart: web('cart.html'),
        checkout: web('checkout.html'),
        result: web('result.html'),
        notFound: web('404.html'),
        admin: web('admin/index.html'),
        login: web('admin/login.html'),
      },
    },
  },
});
