import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { Actor } from './actor';
import {
  AUTH_SECRET_FILE,
  AuthenticationError,
  bearerToken,
  createTokenService,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type TokenService,
} from './tokens';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const base = {
  authJwtSecret: undefined,
  authJwksUrl: undefined,
  authJwtIssuer: undefined,
  authJwtAudience: undefined,
  eventStore: 'sqlite',
} as const;

let root: string;
let dirs = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cunyi-tokens-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data directory that does not exist yet, as on a first start. */
const freshDataDir = () => join(root, `data-${++dirs}`, 'nested');

const now = () => Math.floor(Date.now() / 1000);

/** Signs arbitrary claims with the embedded secret, for tokens mint() would never produce. */
function signed(claims: JWTPayload, alg = 'HS256', secret = SECRET): Promise<string> {
  return new SignJWT({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now() + 60, ...claims })
    .setProtectedHeader({ alg })
    .sign(new TextEncoder().encode(secret));
}

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(service: TokenService, token: string): Promise<AuthenticationError> {
  const err = await service.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthenticationError);
  const refused = err as AuthenticationError;
  expect(refused.code).toBe('UNAUTHENTICATED');
  expect(refused.message).not.toContain(token);
  return refused;
}

const ACTORS: Actor[] = [
  { subject: 'v-1', role: 'VILLAGER', villageId: 'village-1' },
  { subject: 'clerk@village-1', role: 'CLERK', villageId: 'village-1' },
  { subject: 'v-2', role: 'SUPERVISOR', villageId: 'village-1' },
  { subject: 'auditor@east', role: 'TOWNSHIP_AUDITOR', township: 'east' },
  { subject: 'open-data-portal', role: 'INTEGRATOR' },
];

describe('embedded tokens', () => {
  let service: TokenService;
  beforeAll(async () => {
    service = await createTokenService({ ...base, authJwtSecret: SECRET, dataDir: freshDataDir() });
  });

  it.each(ACTORS.map((actor) => [actor.role, actor]))('round-trips a %s', async (_, actor) => {
    expect(await service.verify(await service.mint(actor))).toEqual(actor);
  });

  it('mints iss, aud, iat and an 8-hour expiry', async () => {
    const token = await service.mint(ACTORS[0]);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      sub: 'v-1',
      role: 'VILLAGER',
      village: 'village-1',
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    });
    expect(claims.exp - claims.iat).toBe(8 * 60 * 60);
    expect(claims.township).toBeUndefined();
  });

  it.each([0, -60, 1.5])('mints no token with ttl %s', async (ttl) => {
    await expect(service.mint(ACTORS[0], ttl)).rejects.toThrow(RangeError);
  });

  it('ignores a scope claim the role does not have', async () => {
    const token = await signed({ sub: 'portal', role: 'INTEGRATOR', village: 'village-1' });
    expect(await service.verify(token)).toEqual({ subject: 'portal', role: 'INTEGRATOR' });
  });

  it('refuses an expired token', async () => {
    const token = await signed({ sub: 'v-1', role: 'VILLAGER', village: 'v', exp: now() - 60 });
    expect((await refusal(service, token)).message).toBe('token expired');
  });

  it('refuses a tampered signature', async () => {
    const [header, payload, signature] = (await service.mint(ACTORS[0])).split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const err = await refusal(service, `${header}.${payload}.${flipped}`);
    expect(err.message).toBe('token signature invalid');
  });

  it('refuses a payload changed under a valid signature', async () => {
    const [header, , signature] = (await service.mint(ACTORS[0])).split('.');
    const forged = segment({ sub: 'v-1', role: 'CLERK', village: 'village-1', exp: now() + 60 });
    const err = await refusal(service, `${header}.${forged}.${signature}`);
    expect(err.message).toBe('token signature invalid');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signed(
      { sub: 'v-1', role: 'CLERK', village: 'v' },
      'HS256',
      'x'.repeat(40),
    );
    expect((await refusal(service, token)).message).toBe('token signature invalid');
  });

  it('refuses alg none', async () => {
    const claims = { sub: 'v-1', role: 'CLERK', village: 'village-1' };
    const payload = segment({ ...claims, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now() + 60 });
    const err = await refusal(service, `${segment({ alg: 'none', typ: 'JWT' })}.${payload}.`);
    expect(err.message).toBe('token algorithm not accepted');
  });

  it('refuses another HMAC algorithm', async () => {
    const token = await signed({ sub: 'v-1', role: 'VILLAGER', village: 'v' }, 'HS512');
    expect((await refusal(service, token)).message).toBe('token algorithm not accepted');
  });

  it.each([
    ['a wrong issuer', { iss: 'someone-else' }, 'token issuer not accepted'],
    ['a wrong audience', { aud: 'someone-else' }, 'token audience not accepted'],
    ['no role', { role: undefined }, 'token has no valid role'],
    ['an unknown role', { role: 'MAYOR' }, 'token has no valid role'],
    ['a villager without village', { village: undefined }, 'token for VILLAGER has no village'],
    [
      'a clerk with a non-string village',
      { role: 'CLERK', village: 7 },
      'token for CLERK has no village',
    ],
    [
      'an auditor without township',
      { role: 'TOWNSHIP_AUDITOR', village: undefined },
      'token for TOWNSHIP_AUDITOR has no township',
    ],
    ['no subject', { sub: undefined }, 'token has no subject'],
    ['no expiry', { exp: undefined }, 'token has no valid expiry'],
  ])('refuses %s', async (_, override, message) => {
    // An undefined claim is left out of the token: JSON has no undefined.
    const token = await signed({ sub: 'v-1', role: 'VILLAGER', village: 'village-1', ...override });
    expect((await refusal(service, token)).message).toBe(message);
  });

  it.each(['not-a-jwt', 'a.b', 'a.b.c'])('refuses the malformed token %j', async (token) => {
    expect((await refusal(service, token)).message).toBe('token malformed');
  });
});

describe('the embedded secret', () => {
  it('is created in DATA_DIR with mode 0600 and reused by the next start', async () => {
    const dataDir = freshDataDir();
    const first = await createTokenService({ ...base, dataDir });
    const file = join(dataDir, AUTH_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual([AUTH_SECRET_FILE]);

    const second = await createTokenService({ ...base, dataDir });
    expect(await second.verify(await first.mint(ACTORS[1]))).toEqual(ACTORS[1]);
    expect(await first.verify(await second.mint(ACTORS[3]))).toEqual(ACTORS[3]);
  });

  it('is the same for instances starting together', async () => {
    const dataDir = freshDataDir();
    const services = await Promise.all(
      Array.from({ length: 8 }, () => createTokenService({ ...base, dataDir })),
    );
    const token = await services[0].mint(ACTORS[4]);
    for (const service of services) expect(await service.verify(token)).toEqual(ACTORS[4]);
    expect(readdirSync(dataDir)).toEqual([AUTH_SECRET_FILE]);
  });

  it('is AUTH_JWT_SECRET when set, and then no file is written', async () => {
    const dataDir = freshDataDir();
    const service = await createTokenService({ ...base, authJwtSecret: SECRET, dataDir });
    expect(existsSync(dataDir)).toBe(false);
    const token = await signed({ sub: 'v-1', role: 'VILLAGER', village: 'village-1' });
    expect(await service.verify(token)).toEqual(ACTORS[0]);
  });

  it('lives only in memory with the memory store', async () => {
    const dataDir = freshDataDir();
    const first = await createTokenService({ ...base, eventStore: 'memory', dataDir });
    const second = await createTokenService({ ...base, eventStore: 'memory', dataDir });
    expect(existsSync(dataDir)).toBe(false);
    const token = await first.mint(ACTORS[0]);
    expect(await first.verify(token)).toEqual(ACTORS[0]);
    expect((await refusal(second, token)).message).toBe('token signature invalid');
  });
});

describe('tokens from an identity provider (JWKS)', () => {
  const ISSUER = 'https://idp.example';
  const AUDIENCE = 'cunyi-api';
  let server: Server;
  let service: TokenService;
  let rsa: CryptoKey;
  let ec: CryptoKey;
  let stranger: CryptoKey;

  beforeAll(async () => {
    const [rsaPair, ecPair, strangerPair] = await Promise.all([
      generateKeyPair('RS256'),
      generateKeyPair('ES256'),
      generateKeyPair('RS256'),
    ]);
    [rsa, ec, stranger] = [rsaPair.privateKey, ecPair.privateKey, strangerPair.privateKey];
    const keys = [
      { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((req, res) => {
      if (req.url === '/down') return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = await providerTokens('/.well-known/jwks.json');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const CLAIMS = { sub: 'v-1', role: 'VILLAGER', village: 'village-1' };

  function providerTokens(path: string): Promise<TokenService> {
    const { port } = server.address() as AddressInfo;
    return createTokenService({
      ...base,
      dataDir: freshDataDir(),
      authJwksUrl: `http://127.0.0.1:${port}${path}`,
      authJwtIssuer: ISSUER,
      authJwtAudience: AUDIENCE,
    });
  }

  function issued(
    key: CryptoKey | Uint8Array,
    header: { alg: string; kid?: string },
    claims: JWTPayload = {},
  ): Promise<string> {
    return new SignJWT({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: now() + 60, ...claims })
      .setProtectedHeader(header)
      .sign(key);
  }

  it.each([
    ['RS256', () => issued(rsa, { alg: 'RS256', kid: 'rsa-1' })],
    ['ES256', () => issued(ec, { alg: 'ES256', kid: 'ec-1' })],
  ])('accepts an %s token signed by a published key', async (_, token) => {
    expect(await service.verify(await token())).toEqual(ACTORS[0]);
  });

  it('refuses a wrong audience', async () => {
    const token = await issued(rsa, { alg: 'RS256', kid: 'rsa-1' }, { aud: TOKEN_AUDIENCE });
    expect((await refusal(service, token)).message).toBe('token audience not accepted');
  });

  it('refuses a wrong issuer', async () => {
    const token = await issued(ec, { alg: 'ES256', kid: 'ec-1' }, { iss: TOKEN_ISSUER });
    expect((await refusal(service, token)).message).toBe('token issuer not accepted');
  });

  it('refuses an HS256 token', async () => {
    const token = await issued(new TextEncoder().encode(SECRET), { alg: 'HS256', kid: 'rsa-1' });
    expect((await refusal(service, token)).message).toBe('token algorithm not accepted');
  });

  it('refuses a token signed by an unpublished key', async () => {
    const token = await issued(stranger, { alg: 'RS256', kid: 'rsa-2' });
    expect((await refusal(service, token)).message).toBe('token signed by an unknown key');
  });

  it('refuses an unpublished key that claims a published kid', async () => {
    const token = await issued(stranger, { alg: 'RS256', kid: 'rsa-1' });
    expect((await refusal(service, token)).message).toBe('token signature invalid');
  });

  it('refuses every token while the key set is unavailable', async () => {
    const down = await providerTokens('/down');
    const token = await issued(rsa, { alg: 'RS256', kid: 'rsa-1' });
    const err = await refusal(down, token);
    expect(err.message).toBe('token could not be verified');
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('needs both issuer and audience', async () => {
    const { port } = server.address() as AddressInfo;
    const config = { ...base, dataDir: freshDataDir(), authJwksUrl: `http://127.0.0.1:${port}/` };
    await expect(createTokenService({ ...config, authJwtIssuer: ISSUER })).rejects.toThrow(
      'AUTH_JWT_AUDIENCE',
    );
  });

  it('mints nothing', async () => {
    await expect(service.mint(ACTORS[0])).rejects.toThrow('identity provider');
  });
});

describe('bearerToken', () => {
  it('is undefined without a header', () => {
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER  abc-_.def~+/ghi==', 'abc-_.def~+/ghi=='],
    [' Bearer abc.def.ghi ', 'abc.def.ghi'],
  ])('reads %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'abc.def.ghi',
    'Bearer a b',
    'Bearer a,b',
  ])('refuses %j', (header) => {
    expect(() => bearerToken(header)).toThrow(AuthenticationError);
    expect(() => bearerToken(header)).toThrow('Authorization header must be "Bearer <token>"');
  });
});
