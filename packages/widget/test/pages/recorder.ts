// Loaded first by the middleware's test pages: records CSP violations and the element's events
// on the window, for the test in the parent frame to read.
declare global {
  interface Window {
    violations: string[];
    events: { type: string; detail: Record<string, unknown> }[];
    states: string[];
  }
}

window.violations = [];
window.events = [];
window.states = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
for (const type of ['redirect', 'paid', 'pending', 'failed', 'error']) {
  document.addEventListener(`alipay-checkout:${type}`, (e) => {
    window.events.push({ type, detail: (e as CustomEvent<Record<string, unknown>>).detail });
  });
}
// Every state the element passes through, in order (its host `state` attribute).
new MutationObserver((records) => {
  for (const r of records) {
    const s = (r.target as Element).getAttribute('state');
    if (s && window.states.at(-1) !== s) window.states.push(s);
  }
}).observe(document, { subtree: true, attributeFilter: ['state'] });

export {};
