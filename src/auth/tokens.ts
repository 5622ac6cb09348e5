import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import { createOnce } from '../common/private-file';
import type { AppConfig } from '../config/config';
import { type Actor, ROLES, type Role, VILLAGE_ROLES } from './actor';

/** Why a token was refused. The message is safe to return to the caller: it never holds the token. */
export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuthenticationError';
  }
}

export interface TokenService {
  /** Verifies a raw JWT (no 'Bearer ' prefix) and returns the Actor; throws AuthenticationError. */
  verify(token: string): Promise<Actor>;
  /** Mints an HS256 token for an actor (embedded mode only; throws Error in JWKS mode). Default ttl 8 hours. */
  mint(actor: Actor, ttlSeconds?: number): Promise<string>;
}

export const AUTH_SECRET_FILE = 'auth-secret';
/** `iss` and `aud` of embedded-mode tokens: Cunyi issues them for itself. */
export const TOKEN_ISSUER = 'cunyi';
export const TOKEN_AUDIENCE = 'cunyi';

const DEFAULT_TTL_SECONDS = 8 * 60 * 60;
/** The floor AUTH_JWT_SECRET is held to; a secret file cut shorter was damaged, not configured. */
const MIN_SECRET_LENGTH = 32;

type TokenConfig = Pick<
  AppConfig,
  'authJwtSecret' | 'authJwksUrl' | 'authJwtIssuer' | 'authJwtAudience' | 'dataDir' | 'eventStore'
>;

export async function createTokenService(config: TokenConfig): Promise<TokenService> {
  if (config.authJwksUrl !== undefined) return remoteKeyTokens(config.authJwksUrl, config);
  return embeddedTokens(new TextEncoder().encode(await embeddedSecret(config)));
}

/**
 * Parses an Authorization header value: returns the token for 'Bearer <token>' (case-insensitive
 * scheme), undefined when the header is absent, throws AuthenticationError when malformed.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  // RFC 6750 b64token; anything else (another scheme, a second word) is refused rather than guessed at.
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (match === null) {
    throw new AuthenticationError('Authorization header must be "Bearer <token>"');
  }
  return match[1];
}

function embeddedTokens(secret: Uint8Array): TokenService {
  return {
    verify: (token) =>
      verifyToken(token, () => secret, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      }),
    async mint(actor, ttlSeconds = DEFAULT_TTL_SECONDS) {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
        throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
      }
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        role: actor.role,
        ...(actor.villageId !== undefined && { village: actor.villageId }),
        ...(actor.township !== undefined && { township: actor.township }),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(actor.subject)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .sign(secret);
    },
  };
}

function remoteKeyTokens(url: string, config: TokenConfig): TokenService {
  const { authJwtIssuer: issuer, authJwtAudience: audience } = config;
  // Without both, jose would skip the check and accept tokens the provider issued to other apps.
  if (issuer === undefined || audience === undefined) {
    throw new Error('AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE are required with AUTH_JWKS_URL');
  }
  const keys = createRemoteJWKSet(new URL(url));
  return {
    verify: (token) =>
      verifyToken(token, keys, { algorithms: ['RS256', 'ES256'], issuer, audience }),
    async mint() {
      throw new Error('tokens are issued by the identity provider when AUTH_JWKS_URL is set');
    },
  };
}

interface Expectations {
  readonly algorithms: string[];
  readonly issuer: string;
  readonly audience: string;
}

async function verifyToken(
  token: string,
  key: JWTVerifyGetKey,
  expected: Expectations,
): Promise<Actor> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, { ...expected, requiredClaims: ['exp', 'sub'] }));
  } catch (err) {
    throw new AuthenticationError(refusal(err), { cause: err });
  }
  return actorOf(payload);
}

/** A short reason for the caller; jose's own messages name header parameters and options. */
function refusal(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'iss':
        return 'token issuer not accepted';
      case 'aud':
        return 'token audience not accepted';
      case 'exp':
        return 'token has no valid expiry';
      case 'sub':
        return 'token has no subject';
      case 'nbf':
        return 'token not yet valid';
      default:
        return 'token claims invalid';
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return 'token algorithm not accepted';
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return 'token malformed';
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return 'token signed by an unknown key';
  }
  // The key set could not be fetched or read: the token may be fine, but it cannot be trusted now.
  return 'token could not be verified';
}

function actorOf(payload: JWTPayload): Actor {
  const { sub, role, village, township } = payload;
  if (typeof sub !== 'string' || sub === '') throw new AuthenticationError('token has no subject');
  if (!ROLES.includes(role as Role)) throw new AuthenticationError('token has no valid role');
  const valid = role as Role;
  if (VILLAGE_ROLES.includes(valid)) {
    if (!isName(village)) throw new AuthenticationError(`token for ${valid} has no village`);
    return { subject: sub, role: valid, villageId: village };
  }
  if (valid === 'TOWNSHIP_AUDITOR') {
    if (!isName(township)) throw new AuthenticationError(`token for ${valid} has no township`);
    return { subject: sub, role: valid, township };
  }
  return { subject: sub, role: valid };
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

async function embeddedSecret(config: TokenConfig): Promise<string> {
  if (config.authJwtSecret !== undefined) return config.authJwtSecret;
  // The memory store is for tests and demos, which keep nothing on disk; nor should their tokens.
  if (config.eventStore === 'memory') return newSecret();
  return persistedSecret(config.dataDir);
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The secret in DATA_DIR/auth-secret, created on first start (see createOnce). */
async function persistedSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, AUTH_SECRET_FILE);
  const secret = (await createOnce(file, newSecret)).trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `${file} holds fewer than ${MIN_SECRET_LENGTH} characters; restore it or delete it to generate a new one (existing tokens stop working)`,
    );
  }
  return secret;
}
