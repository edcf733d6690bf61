// @custom-elements-manifest/analyzer for <alipay-checkout> (issue #16 point 7): run by
// scripts/build.mjs, written to custom-elements.json, checked against the class in the browser by
// test/manifest.test.ts. The analyzer reads the source (its Lit support: `static properties`,
// JSDoc @fires / @csspart / @cssprop / @summary); the plugin below keeps the manifest to the
// public surface a consumer can use.

const COMPONENT = 'src/components/alipay-checkout/alipay-checkout.component.ts';

/** `alipay-checkout:redirect` → `AlipayCheckoutRedirectEvent` (the typed events in src/events/). */
const eventType = (name) =>
  `AlipayCheckout${name.split(':')[1].replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}Event`;

/** Public surface only: no private members, no internal-state attribute, named typed events, source paths. */
const publicSurface = () => ({
  name: 'alipay-checkout:public-surface',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules) {
      for (const decl of mod.declarations ?? []) {
        if (decl.kind !== 'class') continue;
        const hidden = new Set(
          (decl.members ?? [])
            .filter((m) => m.privacy === 'private' || m.name.startsWith('#') || m.name.startsWith('_'))
            .map((m) => m.name),
        );
        decl.members = (decl.members ?? []).filter((m) => !hidden.has(m.name));
        decl.attributes = (decl.attributes ?? []).filter((a) => !hidden.has(a.fieldName));
        // The dynamic `new CustomEvent(name, …)` in #emit is found as a nameless event: the
        // @fires tags name the five.
        decl.events = (decl.events ?? [])
          .filter((e) => e.name)
          .map((e) => ({ ...e, type: { text: eventType(e.name) } }));
      }
      // The registering module re-exports the class: point at its declaration, by source path.
      for (const exp of mod.exports ?? []) {
        if (exp.declaration?.name === 'AlipayCheckout') exp.declaration.module = COMPONENT;
      }
    }
  },
});

export default {
  globs: [COMPONENT, 'src/components/alipay-checkout/alipay-checkout.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [publicSurface()],
};
