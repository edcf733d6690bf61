// The order token (architecture.md): a short-lived HS256 JWS bound to one out_trade_no, so an
// order's state is disclosed only to the browser that started the checkout. It must carry `sub`
// (the order) and `exp` (jose `requiredClaims`): a token without an expiry is refused, never
// accepted forever.
import { SignJWT, jwtVerify } from 'jose';

const AUDIENCE = 'alipay-kit/order';

export interface TokenService {
  issue(outTradeNo: string): Promise<{ token: string; expiresAt: Date }>;
  /** True only for a valid, unexpired token whose subject is `outTradeNo`. */
  check(token: unknown, outTradeNo: string): Promise<boolean>;
}

export function _createTokenService(secret: Uint8Array, ttlSeconds: number, now: () => Date): TokenService {
  return {
    async issue(outTradeNo) {
      const iat = Math.floor(now().getTime() / 1000);
      const exp = iat + ttlSeconds;
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(outTradeNo)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(secret);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    async check(token, outTradeNo) {
      if (typeof token !== 'string' || token.length > 4096) return false;
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          audience: AUDIENCE,
          requiredClaims: ['sub', 'exp'],
          currentDate: now(),
        });
        return payload.sub === outTradeNo;
      } catch {
        return false;
      }
    },
  };
}
