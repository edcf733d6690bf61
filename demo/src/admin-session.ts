/**
 * Admin sessions: an HS256 JWS (jose, like the kit's order token) naming a session id, and a
 * server-side store of the live ids. A session ends when it is older than 8 hours, when it has
 * been idle for 30 minutes, or when logout removes its id — after which a copied cookie is
 * refused even though its signature and `exp` are still good.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const AUDIENCE = 'lantern-leaf/admin';
const SUBJECT = 'admin';

export interface SessionOptions {
  /** Secret the key is derived from (the demo's TOKEN_SECRET). */
  secret: string;
  /** Bound into the key: changing ADMIN_PASSWORD ends every session. */
  password: string;
  /** Absolute lifetime. Default 8 hours. */
  absoluteMs?: number;
  /** Ends a session this long after its last request. Default 30 minutes. */
  idleMs?: number;
  /** Most live sessions; the least recently used goes first. Default 1000. */
  maxSessions?: number;
  now?: () => number;
}

export interface SessionStore {
  /** A signed token for a new session, and how long the cookie should live (ms). */
  issue(): Promise<{ token: string; maxAgeMs: number }>;
  /** The session id when `token` is valid, unexpired, not idle and not revoked; marks it used. */
  verify(token: unknown): Promise<string | undefined>;
  /** Ends the session: its token is refused from now on. */
  revoke(id: string): void;
  readonly size: number;
}

/**
 * @example
 * ```ts
 * const sessions = createSessionStore({ secret, password })
 * const { token } = await sessions.issue()
 * const id = await sessions.verify(token) // string
 * sessions.revoke(id!)
 * await sessions.verify(token)            // undefined
 * ```
 */
export function createSessionStore(options: SessionOptions): SessionStore {
  const absoluteMs = options.absoluteMs ?? 8 * 60 * 60 * 1000;
  const idleMs = options.idleMs ?? 30 * 60 * 1000;
  const maxSessions = options.maxSessions ?? 1000;
  const now = options.now ?? Date.now;
  const passwordDigest = createHash('sha256').update(options.password, 'utf8').digest();
  const key = new Uint8Array(
    createHmac('sha256', options.secret).update('admin-session\0').update(passwordDigest).digest(),
  );
  // id → last use (ms). Insertion order = least recently used first.
  const live = new Map<string, number>();

  return {
    async issue() {
      const at = now();
      const id = randomBytes(18).toString('base64url');
      const iat = Math.floor(at / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(SUBJECT)
        .setAudience(AUDIENCE)
        .setJti(id)
        .setIssuedAt(iat)
        .setExpirationTime(Math.floor((at + absoluteMs) / 1000))
        .sign(key);
      live.set(id, at);
      while (live.size > maxSessions) live.delete(live.keys().next().value as string);
      return { token, maxAgeMs: absoluteMs };
    },
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 2048) return undefined;
      let id: string | undefined;
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          audience: AUDIENCE,
          subject: SUBJECT,
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
          currentDate: new Date(now()),
        });
        id = payload.jti;
      } catch {
        return undefined;
      }
      if (!id) return undefined;
      const last = live.get(id);
      if (last === undefined) return undefined;
      const at = now();
      if (at - last >= idleMs) {
        live.delete(id);
        return undefined;
      }
      live.delete(id);
      live.set(id, at);
      return id;
    },
    revoke(id) {
      live.delete(id);
    },
    get size() {
      return live.size;
    },
  };
}
