// Key material shared by the benchmarks and the reliability suite. Public test values only.
/** Protocol §2.7 Key A and its partner (Kaligo / lokielse SANDBOX.md test merchant). */
export const KEY_A = '760bdzec6y9goq7ctyx96ezkz78287de';
export const PARTNER_A = '2088101122136241';
/** Order token secret of the router under test (≥ 32 bytes). */
export const TOKEN_SECRET = 'bench-token-secret-bench-token-secret!';
/** Every bench order costs this much (USD 10.00 = 1000 minor units). */
export const ORDER_AMOUNT = '10.00';
export const ORDER_MINOR = 1000;
/** out_trade_no of the i-th pre-created order. */
export const orderId = (prefix, i) => `${prefix}${String(i).padStart(6, '0')}`;
