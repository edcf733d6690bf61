// Node-only: core's public surface is tiered (issue #16 point 6). Merchant-facing APIs at the
// root; the byte-level helpers (charsets, percent-encoding and forms, base64, timing-safe
// compare, the service registry) only under `@alipay-kit/core/encoding`.
import { describe, it, assert } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as root from '../../src/index.js';
import * as encoding from '../../src/encoding.js';

const PKG = fileURLToPath(new URL('../../', import.meta.url));

describe('@alipay-kit/core/encoding', () => {
  it('should be an `exports` entry with types and a module', () => {
    const pkg = JSON.parse(readFileSync(`${PKG}package.json`, 'utf8')) as { exports: Record<string, unknown> };
    assert.deepEqual(pkg.exports['./encoding'], { types: './dist/encoding.d.ts', default: './dist/encoding.js' });
  });

  it('should hold the byte-level helpers, none of which the root entry exports', () => {
    assert.deepEqual(Object.keys(encoding).sort(), [
      'SERVICE_NAMES',
      'SERVICE_REGISTRY',
      'base64ToBytes',
      'bytesToBase64',
      'charsetWireName',
      'decodeText',
      'encodeForm',
      'encodeText',
      'getServiceInfo',
      'isEncodable',
      'isInputCharsetAllowed',
      'normalizeCharset',
      'parseForm',
      'parseFormPairs',
      'percentDecode',
      'percentEncode',
      'sniffInputCharset',
      'timingSafeEqual',
    ]);
    const both = Object.keys(encoding).filter((name) => name in root);
    assert.deepEqual(both, []);
  });

  it('should use one verb per concept at the root: read for service responses, build for pre-sign strings, toMinorUnits for amounts', () => {
    const names = Object.keys(root);
    assert.deepEqual(names.filter((n) => /PreSignString$/.test(n)).sort(), [
      'buildPreSignString',
      'buildResponsePreSignString',
      'verifyPreSignString',
    ]);
    assert.deepEqual(
      names.filter((n) => /^parse.*Response$/.test(n)),
      [],
    );
    assert.deepEqual(names.filter((n) => /^read.*Response$/.test(n)).sort(), [
      'readForexRefundResponse',
      'readNotifyVerifyResponse',
      'readTradeQueryResponse',
    ]);
    assert.deepEqual(
      names.filter((n) => /minor/i.test(n)),
      ['toMinorUnits'],
    );
  });
});
