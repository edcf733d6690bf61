// Issue 16 point 1: every service of core's registry maps to exactly one client method, and that
// method calls the service's core validator (on what it signs) and core reader (on what came back).
// Core's validators and readers are wrapped in spies; the client runs against a real HTTP server.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { md5Sign } from '@alipay-kit/core';
import { SERVICE_NAMES } from '@alipay-kit/core/encoding';
import * as core from '@alipay-kit/core';
import { createGatewayClient, type GatewayClient } from '../src/index.js';
import { _OPERATIONS } from '../src/client/services.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { startServer, type TestServer } from './helpers/http-server.js';

vi.mock('@alipay-kit/core', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  const spied: Record<string, unknown> = { ...real };
  for (const [name, value] of Object.entries(real)) {
    if (typeof value === 'function' && /^(validate|read|parse)[A-Z]/.test(name))
      spied[name] = vi.fn(value as (...a: unknown[]) => unknown);
  }
  return spied;
});

const spy = (fn: unknown) => fn as ReturnType<typeof vi.fn>;

let srv: TestServer;
beforeAll(async () => (srv = await startServer()));
afterAll(() => srv.close());
beforeEach(() => vi.clearAllMocks());

function signedXml(object: string, fields: Record<string, string>): string {
  const leaves = Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><response><${object}>${leaves}</${object}></response><sign>${md5Sign(fields, KEY_A)}</sign><sign_type>MD5</sign_type></alipay>`;
}

/** A good answer for each service the client sends itself. */
function answer(service: string): string {
  switch (service) {
    case 'single_trade_query':
      return signedXml('trade', { out_trade_no: 'T-1', trade_no: '2015', trade_status: 'TRADE_FINISHED' });
    case 'forex_refund':
      return '<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success></alipay>';
    case 'notify_verify':
      return 'true';
    case 'forex_rate_file':
      return '20210826|101500|USD|6.706400\r\n';
    case 'forex_compare_file':
    case 'forex_liquidation_file':
      return 'A1|10.00|USD|20131219215228||P|0.10|P|\r\n';
    default:
      return signedXml('secmerchant', { result_code: 'SUCCESS', secondary_merchant_id: 'M_1', status: 'SUCCESS' });
  }
}

const ORDER = {
  out_trade_no: 'T-1',
  subject: 'Tea',
  currency: 'USD',
  total_fee: '9.90',
  notify_url: 'https://shop.example/n',
};
const RANGE = { start_date: '20200101', end_date: '20200102' };

/** Call the method a service maps to, the way a merchant would. */
async function call(c: GatewayClient, service: (typeof SERVICE_NAMES)[number]): Promise<unknown> {
  switch (_OPERATIONS[service].method) {
    case 'paymentParams':
      return c.paymentParams(ORDER, { variant: service === 'create_forex_trade_wap' ? 'wap' : 'web' });
    case 'query':
      return c.query({ out_trade_no: 'T-1' });
    case 'refund':
      return c.refund({ out_trade_no: 'T-1', out_return_no: 'R-1', currency: 'USD', return_amount: '1.00' });
    case 'notifyVerify':
      return c.notifyVerify('n-1');
    case 'compareFile':
      return c.compareFile(RANGE);
    case 'liquidationFile':
      return c.liquidationFile(RANGE);
    case 'rateFile':
      return c.rateFile();
    case 'secmerchantMaintain':
      return c.secmerchantMaintain({
        secondary_merchant_id: 'M_1',
        secondary_merchant_name: 'Mika',
        secondary_merchant_industry: '5499',
        register_country: 'US',
        register_address: '3 Old Rd',
        site_infos: [{ site_type: 'WEB', site_url: 'https://a.example' }],
      });
    case 'secmerchantQueryStatus':
      return c.secmerchantQueryStatus({ secondary_merchant_id: 'M_1' });
    default:
      throw new Error(`no call for ${service}`);
  }
}

describe('client ↔ core service registry', () => {
  it('should have exactly one client method for every registry service, and no other service', () => {
    expect(Object.keys(_OPERATIONS).sort()).toEqual([...SERVICE_NAMES].sort());
    const c = createGatewayClient({ gateway: srv.url, partner: PARTNER_A, signType: 'MD5', md5Key: KEY_A });
    for (const name of SERVICE_NAMES) expect(typeof c[_OPERATIONS[name].method], name).toBe('function');
    // Two services share a method only where the method takes the variant (web / wap payment).
    const shared = SERVICE_NAMES.filter((n) =>
      SERVICE_NAMES.some((m) => m !== n && _OPERATIONS[m].method === _OPERATIONS[n].method),
    );
    expect(shared.sort()).toEqual(['create_forex_trade', 'create_forex_trade_wap']);
  });

  for (const service of SERVICE_NAMES) {
    it(`should send ${service} through core's validator and reader`, async () => {
      const op = _OPERATIONS[service];
      srv.handle((_q, res) => res.end(answer(service)));
      srv.requests.length = 0;
      const c = createGatewayClient({
        gateway: srv.url,
        partner: PARTNER_A,
        signType: 'MD5',
        md5Key: KEY_A,
        retry: { limit: 0 },
      });
      await call(c, service);
      const validate = spy(op.validate);
      expect(vi.isMockFunction(validate), `${service}: validator is core's (spied)`).toBe(true);
      expect(validate).toHaveBeenCalledTimes(1);
      const validated = validate.mock.calls[0]![0] as Record<string, string>;
      expect(validated.service).toBe(service);
      expect(validated.partner).toBe(PARTNER_A);
      if (op.read === null) {
        // Sent by the buyer's browser: nothing to read here, nothing sent by the client.
        expect(srv.requests).toHaveLength(0);
        return;
      }
      expect(vi.isMockFunction(op.read), `${service}: reader is core's (spied)`).toBe(true);
      expect(spy(op.read)).toHaveBeenCalledTimes(1);
      expect(srv.requests).toHaveLength(1);
    });
  }

  it("should surface a core validator's error unchanged from the client method", async () => {
    const refused = new core.AlipayValidationError('ERR_INVALID_PARAMS', 'refused by core', { field: 'x' });
    for (const service of SERVICE_NAMES) {
      spy(_OPERATIONS[service].validate).mockImplementationOnce(() => {
        throw refused;
      });
      const c = createGatewayClient({
        gateway: srv.url,
        partner: PARTNER_A,
        signType: 'MD5',
        md5Key: KEY_A,
        retry: { limit: 0 },
      });
      await expect(
        Promise.resolve().then(() => call(c, service)),
        service,
      ).rejects.toBe(refused);
    }
  });
});
