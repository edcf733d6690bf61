import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const web = (p: string) => fileURLToPath(new URL(`./web/${p}`, import.meta.url));

/**
 * The shop's shared header and footer live once, in web/partials/. A page says where they go with
 * `<!-- partial:header -->` (or `<!-- partial:header current=cart-link -->`, which marks that link
 * `aria-current="page"`) and `<!-- partial:footer -->`; this puts them in place, indented like the
 * marker, in the dev server and the build alike.
 */
function shopPartials(): Plugin {
  const partial = (name: string) => readFileSync(web(`partials/${name}.html`), 'utf8').trimEnd();
  return {
    name: 'shop-partials',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) =>
        html.replace(
          /^( *)<!-- partial:(header|footer)(?: current=([a-z-]+))? -->$/gm,
          (_marker, indent: string, name: string, current: string | undefined) => {
            let text = partial(name);
            if (current)
              text = text.replace(new RegExp(`(<a class="${current}" href="[^"]*")`), '$1 aria-current="page"');
            return text
              .split('\n')
              .map((line) => (line ? indent + line : line))
              .join('\n');
          },
        ),
    },
  };
}

// The storefront and admin: plain multi-page HTML + TypeScript modules, built to demo/dist/web
// and served by the demo's Express app (src/web.ts). No inline scripts or styles are emitted, so
// the pages run under `script-src 'self'; style-src 'self'`.
export default defineConfig({
  root: web(''),
  publicDir: web('public'),
  base: '/',
  logLevel: 'warn',
  plugins: [shopPartials()],
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
