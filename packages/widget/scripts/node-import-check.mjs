// The package must import where there is no DOM (SSR, Node tooling): no DOM access at module
// load. Lit's `node` export condition supplies a minimal HTMLElement; our own modules touch
// nothing global until an element is constructed.
const mod = await import('../dist/index.js');
if (typeof mod.AlipayCheckout !== 'function') throw new Error('AlipayCheckout missing from dist/index.js');
if (mod.localeChain('zh-HK').join() !== 'zh-HK,zh-TW,en') throw new Error('localeChain broken in Node');
console.log('@alipay-kit/widget: dist/index.js imports in Node without a DOM');
