import { expect } from '@open-wc/testing';
import { AlipayCheckout } from '../src/components/alipay-checkout/alipay-checkout.component.js';

interface Decl {
  tagName: string;
  attributes: { name: string; fieldName: string }[];
  members: { kind: string; name: string; attribute?: string; reflects?: boolean; privacy?: string }[];
  events: { name: string }[];
  cssParts: { name: string }[];
  cssProperties: { name: string; default?: string }[];
}

const manifest = async () => {
  const res = await fetch('/packages/widget/custom-elements.json');
  return (await res.json()) as {
    schemaVersion: string;
    modules: { declarations: Decl[]; exports: { kind: string; name: string }[] }[];
  };
};

/** The element's class declaration (the component module also declares TOKEN_KEY). */
const element = async () => (await manifest()).modules[0]!.declarations.find((d) => d.tagName)!;

describe('custom-elements.json', () => {
  it('should declare <alipay-checkout> and its definition', async () => {
    const m = await manifest();
    expect(m.schemaVersion).to.equal('1.0.0');
    expect((await element()).tagName).to.equal('alipay-checkout');
    expect(m.modules[1]!.exports.find((e) => e.kind === 'custom-element-definition')!.name).to.equal('alipay-checkout');
  });

  it('should list exactly the attributes and public properties of the class (regenerate with scripts/build.mjs)', async () => {
    const decl = await element();
    (AlipayCheckout as unknown as { finalize(): void }).finalize();
    const props = [...AlipayCheckout.elementProperties].filter(
      ([name, o]) => !o.state && !String(name).startsWith('_'),
    );
    expect(decl.attributes.map((a) => a.name).sort()).to.deep.equal(
      props
        .filter(([, o]) => o.attribute !== false)
        .map(([name, o]) => (typeof o.attribute === 'string' ? o.attribute : String(name).toLowerCase()))
        .sort(),
    );
    const fields = decl.members.filter((f) => f.kind === 'field' && f.name !== 'state');
    expect(fields.map((f) => f.name).sort()).to.deep.equal(props.map(([n]) => String(n)).sort());
    for (const f of fields)
      expect(!!f.reflects, f.name).to.equal(!!AlipayCheckout.elementProperties.get(f.name as never)!.reflect);
    for (const m of decl.members.filter((x) => x.kind === 'method')) {
      expect(typeof (AlipayCheckout.prototype as unknown as Record<string, unknown>)[m.name], m.name).to.equal(
        'function',
      );
    }
  });

  it('should list the five events, the parts the element renders, and the custom properties its styles read', async () => {
    const decl = await element();
    expect(decl.events.map((e) => e.name)).to.deep.equal(
      ['redirect', 'paid', 'pending', 'failed', 'error'].map((n) => `alipay-checkout:${n}`),
    );
    const css = AlipayCheckout.elementStyles
      .map((s) =>
        (s as CSSStyleSheet).cssRules ? [...(s as CSSStyleSheet).cssRules].map((r) => r.cssText).join('') : String(s),
      )
      .join('');
    const read = [...new Set(css.match(/--alipay-checkout-[\w-]+/g))].sort();
    expect(decl.cssProperties.map((p) => p.name).sort()).to.deep.equal(read);
    expect(decl.cssProperties.find((p) => p.name === '--alipay-checkout-color')!.default).to.equal('#1677ff');
    expect(decl.cssParts.map((p) => p.name).sort()).to.deep.equal([
      'button',
      'icon',
      'retry',
      'spinner',
      'status',
      'status-icon',
    ]);
  });
});
