#!/usr/bin/env node
// custom-elements.json (schema 1.0.0) for <alipay-checkout>, generated without the analyzer
// (which needs the TypeScript compiler API): attributes and properties come from the built
// class's `static properties` (so they cannot drift from the code), their types and
// descriptions from the `declare` fields' TSDoc in the source, events / parts / custom
// properties from the component's JSDoc tags. test/manifest.test.ts checks the result against
// the class in the browser. Run after `tsc -b` (build.mjs does).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const srcPath = 'src/components/alipay-checkout/alipay-checkout.component.ts';
const src = readFileSync(pkg + srcPath, 'utf8');
const { AlipayCheckout } = await import('../dist/components/alipay-checkout/alipay-checkout.component.js');

const classDoc = /\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*export class AlipayCheckout/.exec(src)[1]
  .split('\n')
  .map((l) => l.replace(/^\s*\* ?/, ''))
  .join('\n');
const tags = (tag) =>
  [...classDoc.matchAll(new RegExp(`^@${tag} (\\S+) - (.*)$`, 'gm'))].map(([, name, description]) => ({ name, description }));
const description = classDoc.split(/\n@/)[0].trim();
const summary = /^@summary (.*)$/m.exec(classDoc)?.[1];

const fieldDocs = new Map(
  [...src.matchAll(/\/\*\*\s*((?:[^*]|\*(?!\/))*?)\s*\*\/\s*declare (\w+)(\?)?: ([^;]+);/g)].map(([, doc, name, , type]) => [
    name,
    { description: doc.replace(/\s*\n\s*\*\s*/g, ' ').trim(), type: type.trim() },
  ]),
);

const probe = new (class extends AlipayCheckout {})();
const fields = [];
const attributes = [];
for (const [name, options] of Object.entries(AlipayCheckout.properties)) {
  if (options.state || name.startsWith('_')) continue;
  const doc = fieldDocs.get(name);
  if (!doc) throw new Error(`manifest: no TSDoc on the declare field "${name}"`);
  const attribute = options.attribute === false ? undefined : typeof options.attribute === 'string' ? options.attribute : name.toLowerCase();
  const initial = probe[name];
  const field = {
    kind: 'field',
    name,
    type: { text: doc.type },
    description: doc.description,
    ...(initial !== undefined ? { default: JSON.stringify(initial) } : {}),
    ...(attribute ? { attribute } : {}),
    ...(options.reflect ? { reflects: true } : {}),
  };
  fields.push(field);
  if (attribute) {
    attributes.push({ name: attribute, type: { text: doc.type }, description: doc.description, fieldName: name, ...(field.default ? { default: field.default } : {}) });
  }
}
fields.push({ kind: 'field', name: 'state', type: { text: 'CheckoutState' }, readonly: true, description: 'The current state (also reflected as the host\'s `state` attribute).' });
const methods = [
  { kind: 'method', name: 'pay', return: { type: { text: 'void' } }, description: 'Start the checkout, as a click on the pay button does.' },
  { kind: 'method', name: 'handleReturn', parameters: [{ name: 'query', type: { text: 'string' } }], return: { type: { text: 'Promise<void>' } }, description: 'Verify a gateway return query with the router and poll until the order settles.' },
  { kind: 'method', name: 'navigate', privacy: 'protected', parameters: [{ name: 'checkout', type: { text: 'CheckoutResponse' } }], return: { type: { text: 'void' } }, description: 'Leave for the cashier (override to navigate differently).' },
  { kind: 'method', name: 'resolveVariant', privacy: 'protected', return: { type: { text: "'web' | 'wap'" } }, description: 'What `auto` resolves to on this device.' },
];
for (const m of methods) if (typeof AlipayCheckout.prototype[m.name] !== 'function') throw new Error(`manifest: no method ${m.name}`);

const cssProperties = tags('cssprop').map(({ name, description }) => {
  const [, n, def] = /^\[([^=\]]+)(?:=(.*))?\]$/.exec(name) ?? [, name];
  return { name: n, description, ...(def ? { default: def } : {}) };
});

const manifest = {
  schemaVersion: '1.0.0',
  readme: '',
  modules: [
    {
      kind: 'javascript-module',
      path: srcPath,
      declarations: [
        {
          kind: 'class',
          customElement: true,
          tagName: 'alipay-checkout',
          name: 'AlipayCheckout',
          description,
          ...(summary ? { summary } : {}),
          superclass: { name: 'LitElement', package: 'lit' },
          attributes,
          members: [...fields, ...methods],
          events: tags('fires').map(({ name, description }) => ({ name, type: { text: 'CustomEvent' }, description })),
          cssParts: tags('csspart'),
          cssProperties,
        },
      ],
      exports: [{ kind: 'js', name: 'AlipayCheckout', declaration: { name: 'AlipayCheckout', module: srcPath } }],
    },
    {
      kind: 'javascript-module',
      path: 'src/components/alipay-checkout/alipay-checkout.ts',
      declarations: [],
      exports: [
        { kind: 'custom-element-definition', name: 'alipay-checkout', declaration: { name: 'AlipayCheckout', module: srcPath } },
        { kind: 'js', name: 'AlipayCheckout', declaration: { name: 'AlipayCheckout', module: srcPath } },
      ],
    },
  ],
};
writeFileSync(`${pkg}custom-elements.json`, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `@alipay-kit/widget: custom-elements.json (${attributes.length} attributes, ${manifest.modules[0].declarations[0].events.length} events, ${cssProperties.length} custom properties)`,
);
