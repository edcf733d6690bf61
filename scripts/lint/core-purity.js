// The ESLint block that keeps @alipay-kit/core pure (style.md §2, issue #2): strings, bytes and
// plain objects in, values out. No Node built-ins, no I/O module, no process or Buffer, no clock,
// no network. Its own module so core's tests can prove the rule catches what it should.

/** Bare specifiers core may import: its two run-time dependencies. Everything else is relative. */
const ALLOWED = '^(?!\\.{1,2}/|@noble/hashes/|fast-xml-parser$)';

const WHY = 'core is pure (style.md §2): no Node built-ins, I/O or clock; take bytes and values from the caller';

export const corePurity = {
  files: ['packages/core/src/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: ALLOWED,
            message: `${WHY}. Core imports only relative modules, @noble/hashes/* and fast-xml-parser.`,
          },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      ...[
        'process',
        'Buffer',
        'require',
        'module',
        '__dirname',
        '__filename',
        'global',
        'fetch',
        'XMLHttpRequest',
        'WebSocket',
        'setImmediate',
      ].map((name) => ({ name, message: WHY })),
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Date', property: 'now', message: WHY },
      { object: 'performance', property: 'now', message: WHY },
      { object: 'globalThis', property: 'process', message: WHY },
      { object: 'globalThis', property: 'Buffer', message: WHY },
      { object: 'globalThis', property: 'fetch', message: WHY },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: "NewExpression[callee.name='Date']", message: `${WHY}: take epoch milliseconds from the caller` },
      { selector: "CallExpression[callee.name='Date']", message: `${WHY}: Date() reads the clock` },
      { selector: 'ImportExpression', message: `${WHY}: no dynamic import` },
    ],
  },
};
