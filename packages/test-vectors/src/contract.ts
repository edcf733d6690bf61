/**
 * The Signer / Verifier contract (issue #16 point 2, after stripe-node's `CryptoProvider` and its
 * shared suite): every crypto backend of the kit runs these cases, with the protocol §2.7
 * vectors and the published test keys of this package. Browser-safe (no Node built-ins): core's
 * copy runs in Node (vitest) and in Chromium (@web/test-runner through the 'vitest' shim).
 *
 * Expected values come from the protocol document (§2.7, sources in ./vectors.ts); nothing here
 * is computed by the code under test, except the round trips that say so.
 *
 * @module
 */
import { describe, it, assert } from 'vitest';
// Types only, from core's source by path: erased at run time, and no package dependency on core
// (core's tests depend on this package, so a dependency back would be a workspace cycle).
import type { Charset, PreSignValue, SignType, Signer, SignerSignType, Verifier } from '../../core/src/index.js';
import {
  MD5_VECTORS,
  PRESIGN_PAGE_EXAMPLE,
  KEY_A,
  RSA2_VECTOR,
  RSA_VECTOR,
  paramsOf,
  type Md5Vector,
} from './vectors.js';
import {
  TEST_PRIVATE_KEY_BARE,
  TEST_PRIVATE_KEY_PEM,
  TEST_PRIVATE_KEY_PKCS1_PEM,
  TEST_PUBLIC_KEY_BARE,
  TEST_PUBLIC_KEY_PEM,
  TEST_PUBLIC_KEY_PKCS1_PEM,
} from './keys.js';

/** What the suite configures a verifier with (the merchant's configuration). */
export interface ContractVerifierConfig {
  signType: SignType;
  md5Key?: string;
  alipayPublicKey?: string;
  charset: Charset;
}

/** What the suite configures a signer with. */
export interface ContractSignerConfig {
  signType: SignType;
  md5Key?: string;
  privateKey?: string;
  charset: Charset;
}

/** The forms the published test key comes in (§2.6: PEM headers, one-line portal strings). */
export type KeyForm = 'pem' | 'pkcs1-pem' | 'bare';

export interface VerifierContract {
  /** Shown in the suite title, e.g. `'core (WebCrypto/noble)'`. */
  name: string;
  /** Build the implementation under test from a merchant configuration. */
  create(config: ContractVerifierConfig): Verifier | Promise<Verifier>;
  /** Sign types the implementation verifies. Default: MD5, RSA, RSA2. */
  signTypes?: readonly SignType[];
  /** Public-key forms accepted. Default: all three. */
  keyForms?: readonly KeyForm[];
}

export interface SignerContract {
  name: string;
  create(config: ContractSignerConfig): Signer | Promise<Signer>;
  signTypes?: readonly SignType[];
  /** Private-key forms accepted. Default: all three. */
  keyForms?: readonly KeyForm[];
}

const PUBLIC: Record<KeyForm, string> = {
  pem: TEST_PUBLIC_KEY_PEM,
  'pkcs1-pem': TEST_PUBLIC_KEY_PKCS1_PEM,
  bare: TEST_PUBLIC_KEY_BARE,
};
const PRIVATE: Record<KeyForm, string> = {
  pem: TEST_PRIVATE_KEY_PEM,
  'pkcs1-pem': TEST_PRIVATE_KEY_PKCS1_PEM,
  bare: TEST_PRIVATE_KEY_BARE,
};
const ALL_TYPES: readonly SignType[] = ['MD5', 'RSA', 'RSA2'];
const ALL_FORMS: readonly KeyForm[] = ['pem', 'pkcs1-pem', 'bare'];

/** The vector as a received parameter map: its pre-sign pairs, plus `sign` and `sign_type`. */
function received(
  v: { preSign: string; sign: string } | { message: string; sign: string },
  signType: string,
): Record<string, string> {
  return { ...paramsOf('preSign' in v ? v.preSign : v.message), sign: v.sign, sign_type: signType };
}

/** Change the first value of a parameter map (the signature then covers other bytes). */
function tamper(p: Record<string, string>): Record<string, string> {
  const first = Object.keys(p).find((k) => k !== 'sign' && k !== 'sign_type')!;
  return { ...p, [first]: p[first] + 'x' };
}

const RSA_CASES = [
  { signType: 'RSA' as const, vector: RSA_VECTOR },
  { signType: 'RSA2' as const, vector: RSA2_VECTOR },
];

/**
 * Run the verifier contract against one implementation: §2.4 step 3 and §2.5 — the configured
 * sign type alone decides, exact case-sensitive MD5, standard base64 RSA / RSA2, fail closed.
 *
 * @example
 * ```ts
 * runVerifierContract({ name: 'core', create: (c) => createVerifier(c) })
 * ```
 */
export function runVerifierContract(impl: VerifierContract): void {
  const types = impl.signTypes ?? ALL_TYPES;
  const forms = impl.keyForms ?? ALL_FORMS;
  const md5 = (v: Md5Vector) => impl.create({ signType: 'MD5', md5Key: v.key, charset: v.charset ?? 'utf-8' });
  const rsa = (signType: 'RSA' | 'RSA2', form: KeyForm = forms[0]!) =>
    impl.create({ signType, alipayPublicKey: PUBLIC[form], charset: 'utf-8' });

  describe(`Verifier contract: ${impl.name}`, () => {
    if (types.includes('MD5')) {
      for (const v of MD5_VECTORS) {
        it(`MD5 verifies §2.7 ${v.id} (${v.source}) and fails when one value changes`, async () => {
          const verifier = await md5(v);
          assert.isTrue(await verifier.verify(received(v, 'MD5')));
          assert.isFalse(await verifier.verify(tamper(received(v, 'MD5'))));
        });
      }
      it('MD5 compares exactly: uppercase hex, a wrong length or another key do not verify (§2.2)', async () => {
        const a3 = MD5_VECTORS.find((v) => v.id === 'A3')!;
        const verifier = await md5(a3);
        for (const sign of [a3.sign.toUpperCase(), a3.sign.slice(1), a3.sign + '0'])
          assert.isFalse(await verifier.verify({ ...received(a3, 'MD5'), sign }));
        const b1 = MD5_VECTORS.find((v) => v.id === 'B1')!;
        assert.isFalse(await verifier.verify(received(b1, 'MD5')));
      });
      it('MD5 hashes the configured charset: the UTF-8 vector fails under GBK (§2.7 charset effect)', async () => {
        const utf8 = MD5_VECTORS.find((v) => v.id === 'charset-utf8')!;
        const gbk = await impl.create({ signType: 'MD5', md5Key: KEY_A, charset: 'gbk' });
        assert.isFalse(await gbk.verify(received(utf8, 'MD5')));
      });
      it('ignores the received sign_type: the configured MD5 decides (§2.4 decision)', async () => {
        const a4 = MD5_VECTORS.find((v) => v.id === 'A4')!;
        const verifier = await md5(a4);
        for (const label of ['RSA', 'RSA2', 'md5', '']) assert.isTrue(await verifier.verify(received(a4, label)));
        const { sign_type: _, ...unlabelled } = received(a4, 'MD5');
        assert.isTrue(await verifier.verify(unlabelled));
      });
      it('drops empty parameters and keeps unknown ones (§2.1 steps 1, 3; §2.4 step 2)', async () => {
        const a4 = MD5_VECTORS.find((v) => v.id === 'A4')!;
        const verifier = await md5(a4);
        assert.isTrue(await verifier.verify({ ...received(a4, 'MD5'), body: '' }));
        assert.isFalse(await verifier.verify({ ...received(a4, 'MD5'), buyer_id: '2088' }));
      });
      it('fails closed, never rejects, for a missing, empty or non-string sign and non-string values', async () => {
        const a3 = MD5_VECTORS.find((v) => v.id === 'A3')!;
        const verifier = await md5(a3);
        const { sign: _, ...unsigned } = received(a3, 'MD5');
        const bad: unknown[] = [
          unsigned,
          { ...unsigned, sign: '' },
          { ...unsigned, sign: 42 },
          { ...received(a3, 'MD5'), extra: {} },
          { ...received(a3, 'MD5'), extra: 7 },
        ];
        for (const p of bad) assert.isFalse(await verifier.verify(p as Record<string, string>));
      });
    }
    for (const { signType, vector } of RSA_CASES) {
      if (!types.includes(signType)) continue;
      for (const form of forms) {
        it(`${signType} verifies the §2.7 vector with the public key as ${form} (${vector.source})`, async () => {
          const verifier = await rsa(signType, form);
          assert.isTrue(await verifier.verify(received(vector, signType)));
          assert.isFalse(await verifier.verify(tamper(received(vector, signType))));
        });
      }
      it(`${signType} fails closed for a damaged sign: '+' read as a space (§1.4 rule 6), truncated, not base64, empty`, async () => {
        const verifier = await rsa(signType);
        assert.include(vector.sign, '+');
        for (const sign of [
          vector.sign.replace(/\+/g, ' '),
          vector.sign.slice(0, 40),
          '!!!not base64!!!',
          'AAAA',
          '',
        ]) {
          assert.isFalse(await verifier.verify({ ...received(vector, signType), sign }));
        }
      });
      it(`${signType} ignores the received sign_type (§2.4 decision)`, async () => {
        const verifier = await rsa(signType);
        assert.isTrue(await verifier.verify(received(vector, signType === 'RSA' ? 'RSA2' : 'RSA')));
        assert.isTrue(await verifier.verify(received(vector, 'MD5')));
      });
    }
    if (types.includes('RSA') && types.includes('RSA2')) {
      it('the configured hash decides: the RSA vector fails under RSA2 and the RSA2 vector under RSA', async () => {
        assert.isFalse(await (await rsa('RSA2')).verify(received(RSA_VECTOR, 'RSA')));
        assert.isFalse(await (await rsa('RSA')).verify(received(RSA2_VECTOR, 'RSA2')));
      });
    }
    if (types.includes('MD5') && types.includes('RSA')) {
      it('a payload signed with another algorithm fails, whatever its sign_type says (§2.4)', async () => {
        const a3 = MD5_VECTORS.find((v) => v.id === 'A3')!;
        assert.isFalse(await (await rsa('RSA')).verify(received(a3, 'MD5')));
        assert.isFalse(await (await md5(a3)).verify(received(RSA_VECTOR, 'RSA')));
      });
    }
    it('requires an explicit signType: no fallback to the payload sign_type', async () => {
      let threw = false;
      try {
        await impl.create({
          md5Key: KEY_A,
          alipayPublicKey: TEST_PUBLIC_KEY_PEM,
          charset: 'utf-8',
        } as unknown as ContractVerifierConfig);
      } catch {
        threw = true;
      }
      assert.isTrue(threw, 'a verifier without signType must be refused at configuration');
    });
  });
}

/** The vector's parameter map as a merchant would sign it: with `sign_type` and an empty field (both dropped, §2.1). */
function toSign(preSign: string): Record<string, PreSignValue> {
  return { ...paramsOf(preSign), sign_type: 'MD5', body: '', extra: undefined };
}

/**
 * Run the signer contract against one implementation: §2.1 pre-sign string, §2.2 MD5 with the
 * configured charset, §2.3 RSA / RSA2 base64, each reproducing the §2.7 vectors.
 *
 * @example
 * ```ts
 * runSignerContract({ name: 'server-kit', create: (c) => createSigner(c) })
 * ```
 */
export function runSignerContract(impl: SignerContract): void {
  const types = impl.signTypes ?? ALL_TYPES;
  const forms = impl.keyForms ?? ALL_FORMS;
  describe(`Signer contract: ${impl.name}`, () => {
    if (types.includes('MD5')) {
      for (const v of MD5_VECTORS) {
        it(`MD5 reproduces §2.7 ${v.id} (${v.source})`, async () => {
          const signer = await impl.create({ signType: 'MD5', md5Key: v.key, charset: v.charset ?? 'utf-8' });
          assert.strictEqual(await signer.sign(toSign(v.preSign)), v.sign);
          assert.strictEqual(await signer.signString(v.preSign), v.sign);
        });
      }
      it('MD5 reproduces the derived §2.1 pre-sign page example (raw JSON, quotes and spaces)', async () => {
        const signer = await impl.create({ signType: 'MD5', md5Key: KEY_A, charset: 'utf-8' });
        assert.strictEqual(await signer.sign(PRESIGN_PAGE_EXAMPLE.params), PRESIGN_PAGE_EXAMPLE.sign);
      });
      it('exposes its configured signType and charset', async () => {
        const signer = await impl.create({ signType: 'MD5', md5Key: KEY_A, charset: 'gbk' });
        assert.deepEqual([signer.signType, signer.charset], ['MD5', 'gbk'] as [SignerSignType, Charset]);
      });
    }
    for (const { signType, vector } of RSA_CASES) {
      if (!types.includes(signType)) continue;
      for (const form of forms) {
        it(`${signType} reproduces the §2.7 vector from the private key as ${form} (${vector.source})`, async () => {
          const signer = await impl.create({ signType, privateKey: PRIVATE[form], charset: 'utf-8' });
          assert.strictEqual(
            await signer.sign({ ...paramsOf(vector.message), sign: 'old', sign_type: signType, body: '' }),
            vector.sign,
          );
          assert.strictEqual(await signer.signString(vector.message), vector.sign);
          assert.strictEqual(signer.signType, signType);
        });
      }
    }
  });
}
