/**
 * Attacks on authentication and authorisation over real HTTP (issue 6, "auth"), on the sqlite
 * store. Two villages in two townships, each with a meeting whose voting is open (and, in the
 * second, a resolved proposal, a proposal ready to be tabled and a petition), so that nearly every
 * attack below would append an event were it let through. role-matrix.e2e.test.ts checks each
 * role against each mutation with well-formed tokens; here the tokens themselves are made by hand
 * (jose and node:crypto), the claims are bent, the token is put where it does not belong, and
 * valid tokens reach for another village.
 *
 * What the codebase answers, and this file asserts exactly:
 * - a token that does not verify, or verifies but names no valid actor (tokens.ts): the RolesGuard
 *   answers UNAUTHENTICATED, HTTP 200 like every answer once execution has run, data null;
 * - a valid token out of role (permissions.ts) or out of scope (scope.ts): FORBIDDEN, HTTP 200;
 * - a valid token whose `sub` is not on the meeting's roll: the domain's NOT_ON_ROLL;
 * - an argument castBallot does not have: GRAPHQL_VALIDATION_FAILED, HTTP 400.
 * Around the whole attack set, the event log (every row of `events` in DATA_DIR/events.db, in
 * position order) is hashed: it must be byte for byte the same afterwards, no answer may be a 5xx
 * or echo the token, and valid tokens must still work (the test cannot pass on a dead server).
 *
 * Noted, not an attack: the Authorization scheme is matched case-insensitively (tokens.ts,
 * bearerToken, as RFC 7235 §2.1 has it), so `bearer <valid token>` authenticates — as exactly that
 * token's actor. It is asserted as such below, and `bearer` with a bad token is refused.
 *
 * A second, smaller app runs in JWKS mode against a key set served from this test, for the
 * classic RS256→HS256 confusion with the provider's public key as the HMAC secret.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SQLITE_FILE_NAME } from '@cunyi/event-store';
import Database from 'better-sqlite3';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { AUTH_SECRET_FILE, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/tokens';
import { type AppUnderTest, type GraphQLResponse, ok, startApp } from '../support/app-under-test';
import { seedVillage } from '../support/seed-village';

const A = { villageId: 'qingshan', township: '安吉镇' };
const B = { villageId: 'lushan', township: '孝丰镇' };
const ITEM_A = 'item-1';
/** In village B item-1 is decided (its proposal resolved) and item-2 is open for voting. */
const ITEM_B = 'item-2';
const PERIOD = { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };

// ---------------------------------------------------------------------------------------------
// The event log, as stored.

interface LogFingerprint {
  readonly rows: number;
  readonly sha256: string;
}

/** Row count and sha256 of `SELECT * FROM events ORDER BY position`, blobs as hex. */
function logFingerprint(dataDir: string): LogFingerprint {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const hash = createHash('sha256');
    let rows = 0;
    for (const row of db.prepare('SELECT * FROM events ORDER BY position').raw().iterate()) {
      rows++;
      const values = (row as unknown[]).map((value) =>
        Buffer.isBuffer(value) ? { hex: value.toString('hex') } : value,
      );
      hash.update(`${JSON.stringify(values)}\n`);
    }
    return { rows, sha256: hash.digest('hex') };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens, made by hand.

const nowSeconds = () => Math.floor(Date.now() / 1000);
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac =
  (hash: 'sha256' | 'sha384' | 'sha512', key: Uint8Array | string) =>
  (input: string): string =>
    createHmac(hash, key).update(input).digest('base64url');

/** header.payload.signature, with whatever header and payload, signed by `sign` over the first two. */
function compact(
  header: Record<string, unknown>,
  payload: unknown,
  sign: (input: string) => string,
): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${sign(input)}`;
}

/** Claims as the embedded issuer writes them, fresh for ten minutes. */
function fresh(claims: JWTPayload): JWTPayload {
  const now = nowSeconds();
  return { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 600, ...claims };
}

function without(claims: JWTPayload, ...names: string[]): JWTPayload {
  const copy: JWTPayload = { ...claims };
  for (const name of names) delete copy[name];
  return copy;
}

/** A signature with one byte in its middle flipped: the same length, the same alphabet. */
function flipSignatureByte(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  bytes[10] = (bytes[10] as number) ^ 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

const HS256 = { alg: 'HS256', typ: 'JWT' };

// ---------------------------------------------------------------------------------------------
// Raw HTTP: every header, the query string and the body as the attack wants them.

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json?: GraphQLResponse;
}

interface Operation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

interface Sending {
  /** One Authorization header, several header lines of it, or none. */
  readonly authorization?: string | string[];
  readonly headers?: OutgoingHttpHeaders;
  /** Appended to /graphql. */
  readonly search?: string;
  /** Extra members of the JSON body, next to query and variables. */
  readonly body?: Record<string, unknown>;
}

function post(baseUrl: string, operation: Operation, sending: Sending = {}): Promise<Answer> {
  const body = JSON.stringify({ ...operation, ...sending.body });
  const headers: Record<string, OutgoingHttpHeaders[string]> = {
    ...sending.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (sending.authorization !== undefined) headers.authorization = sending.authorization;
  const url = new URL(`/graphql${sending.search ?? ''}`, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: GraphQLResponse | undefined;
        try {
          json = JSON.parse(text) as GraphQLResponse;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (answer: Answer): unknown => answer.json?.errors?.[0]?.extensions?.code;

/** An HTTP server that counts what it is asked and answers with a key set: the attacker's. */
async function keyServer(jwks: () => { keys: JWK[] }): Promise<{
  server: Server;
  url: string;
  hits: () => number;
}> {
  let hits = 0;
  const server = createServer((_, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, hits: () => hits };
}

// ---------------------------------------------------------------------------------------------
// The operations the attacks send. Each would append to the log were it let through.

const op = {
  registerHousehold: (villageId: string, householdId = 'H-ATTACK'): Operation => ({
    query: `mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { caughtUp } }`,
    variables: { input: { villageId, householdId, name: '冒名户' } },
  }),
  registerVillage: (villageId: string, township: string): Operation => ({
    query: `mutation ($input: RegisterVillageInput!) { registerVillage(input: $input) { caughtUp } }`,
    variables: {
      input: { villageId, name: villageId, township, county: '安吉县', province: '浙江省' },
    },
  }),
  registerVillager: (villageId: string): Operation => ({
    query: `mutation ($input: RegisterVillagerInput!) { registerVillager(input: $input) { caughtUp } }`,
    variables: {
      input: {
        villageId,
        householdId: 'H1',
        name: '冒名者',
        gender: 'MALE',
        birthDate: '1980-01-01',
        residenceBasis: 'HOUSEHOLD_REGISTRATION',
      },
    },
  }),
  importRoll: (villageId: string): Operation => ({
    query: `mutation ($v: ID!, $csv: String!) { importRoll(villageId: $v, csv: $csv) { villagers } }`,
    variables: {
      v: villageId,
      csv: '户号,姓名,性别,出生日期,居住依据\nH900,周冒名,男,1980-01-01,户籍\n',
    },
  }),
  draftProposal: (villageId: string): Operation => ({
    query: `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { caughtUp } }`,
    variables: {
      input: {
        villageId,
        title: '冒名提议',
        body: '冒名提议。',
        matter: 'PUBLIC_WORKS',
        proposer: 'COMMITTEE',
      },
    },
  }),
  conveneMeeting: (villageId: string, proposalIds: string[], now: number): Operation => ({
    query: `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { caughtUp } }`,
    variables: {
      input: {
        villageId,
        body: 'VILLAGERS_ASSEMBLY',
        noticeAt: new Date(now).toISOString(),
        scheduledAt: new Date(now + (10 * 24 + 1) * 3_600_000).toISOString(),
        proposalIds,
      },
    },
  }),
  checkIn: (meetingId: string): Operation => ({
    query: `mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`,
    variables: { m: meetingId },
  }),
  recordAttendance: (meetingId: string, villagerId: string): Operation => ({
    query: `mutation ($m: ID!, $v: ID!) { recordAttendance(meetingId: $m, villagerId: $v) { caughtUp } }`,
    variables: { m: meetingId, v: villagerId },
  }),
  castBallot: (meetingId: string, itemId: string): Operation => ({
    query: `mutation ($m: ID!, $i: String!) { castBallot(meetingId: $m, itemId: $i, choice: AGAINST) { caughtUp } }`,
    variables: { m: meetingId, i: itemId },
  }),
  recordPaperBallot: (meetingId: string, itemId: string, villagerId: string): Operation => ({
    query: `mutation ($m: ID!, $i: String!, $v: ID!) {
      recordPaperBallot(meetingId: $m, itemId: $i, villagerId: $v, choice: AGAINST) { caughtUp } }`,
    variables: { m: meetingId, i: itemId, v: villagerId },
  }),
  countersignPaperBallots: (meetingId: string, itemId: string): Operation => ({
    query: `mutation ($m: ID!, $i: String!) { countersignPaperBallots(meetingId: $m, itemId: $i) { caughtUp } }`,
    variables: { m: meetingId, i: itemId },
  }),
  closeVoting: (meetingId: string, itemId: string): Operation => ({
    query: `mutation ($m: ID!, $i: String!) { closeVoting(meetingId: $m, itemId: $i) { caughtUp } }`,
    variables: { m: meetingId, i: itemId },
  }),
  signPetition: (petitionId: string): Operation => ({
    query: `mutation ($p: ID!) { signPetition(petitionId: $p) { caughtUp } }`,
    variables: { p: petitionId },
  }),
  closePetition: (petitionId: string): Operation => ({
    query: `mutation ($p: ID!) { closePetition(petitionId: $p, reason: "冒名关闭") { caughtUp } }`,
    variables: { p: petitionId },
  }),
  orderCorrection: (proposalId: string): Operation => ({
    query: `mutation ($p: ID!) { orderCorrection(proposalId: $p, legalBasis: "冒名") { caughtUp } }`,
    variables: { p: proposalId },
  }),
  decisionDossier: (proposalId: string): Operation => ({
    query: `query ($p: ID!) { decisionDossier(proposalId: $p) { proposalId villageId } }`,
    variables: { p: proposalId },
  }),
  townshipOverview: (township: string): Operation => ({
    query: `query ($t: String!, $p: PeriodInput!) { townshipOverview(township: $t, period: $p) { villages } }`,
    variables: { t: township, p: PERIOD },
  }),
  auditTrail: (villageId: string): Operation => ({
    query: `query ($v: ID!) { auditTrail(villageId: $v) { totalCount } }`,
    variables: { v: villageId },
  }),
  me: (): Operation => ({ query: '{ me { subject role villageId township } }' }),
};

// ---------------------------------------------------------------------------------------------
// The world the attacks are made in.

interface Village {
  readonly villageId: string;
  readonly township: string;
  readonly clerk: string;
  readonly villagerIds: string[];
  readonly villagers: string[];
  readonly supervisor: string;
  readonly auditor: string;
  readonly meetingId: string;
}

interface World {
  readonly t: AppUnderTest;
  /** The embedded HS256 secret, from DATA_DIR/auth-secret. */
  readonly secret: Uint8Array;
  readonly a: Village;
  readonly b: Village;
  /** Village B: a resolved proposal, a deliberated one not tabled yet, an open petition. */
  readonly resolvedB: string;
  readonly untabledB: string;
  readonly petitionB: string;
  readonly integrator: string;
  readonly treeHeadKeyPem: string;
  readonly attackerKey: CryptoKey;
  readonly attackerJwk: JWK;
  readonly attackerUrl: string;
  /** Clerk A's claims: what a forger wants the server to believe. */
  readonly clerkClaims: JWTPayload;
}

type Kind =
  | 'forged signature'
  | 'lifetime'
  | 'issuer/audience'
  | 'header confusion'
  | 'wrong village'
  | 'role escalation'
  | 'token placement';

interface Attack {
  readonly kind: Kind;
  readonly name: string;
  /** The exact code of the refusal. */
  readonly code: string;
  /** The message, where it tells one refusal from another (tokens.ts refusal()). */
  readonly message?: string;
  send(w: World): Promise<Answer>;
}

/** Refusals in execution are HTTP 200 (GraphQL over HTTP, application/json); see common/errors.ts. */
const STATUS_OF: Record<string, number> = {
  UNAUTHENTICATED: 200,
  FORBIDDEN: 200,
  NOT_ON_ROLL: 200,
  GRAPHQL_VALIDATION_FAILED: 400,
};

/** Clerk A's would-be write, with a given token in the usual place. */
const asClerkA = (w: World, token: string) =>
  post(w.t.url, op.registerHousehold(w.a.villageId), { authorization: `Bearer ${token}` });
const bearer = (w: World, operation: Operation, token: string) =>
  post(w.t.url, operation, { authorization: `Bearer ${token}` });
const signed = (
  w: World,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = HS256,
) => compact(header, claims, hmac('sha256', w.secret));
const unauthenticated = (
  kind: Kind,
  name: string,
  message: string,
  token: (w: World) => string | Promise<string>,
): Attack => ({
  kind,
  name,
  code: 'UNAUTHENTICATED',
  message,
  send: async (w) => asClerkA(w, await token(w)),
});
/** Clerk A's claims in an RS256 token signed by the attacker's own key, with extra header. */
const attackerSigned = (w: World, header: Record<string, unknown>) =>
  new SignJWT(fresh(w.clerkClaims))
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header })
    .sign(w.attackerKey);

const ATTACKS: Attack[] = [
  // --- forged: right claims, wrong or no signature --------------------------------------------
  unauthenticated(
    'forged signature',
    'signed with another secret',
    'token signature invalid',
    (w) => compact(HS256, fresh(w.clerkClaims), hmac('sha256', randomBytes(32))),
  ),
  unauthenticated(
    'forged signature',
    'right header and payload, one signature byte flipped',
    'token signature invalid',
    (w) => flipSignatureByte(signed(w, fresh(w.clerkClaims))),
  ),
  unauthenticated(
    'forged signature',
    'a villager’s real token with the payload swapped for the clerk’s',
    'token signature invalid',
    (w) => {
      const [header, , signature] = (w.a.villagers[0] as string).split('.');
      return `${header}.${segment(fresh(w.clerkClaims))}.${signature}`;
    },
  ),
  unauthenticated(
    'forged signature',
    'signature stripped (h.p.)',
    'token signature invalid',
    (w) => {
      const [header, payload] = signed(w, fresh(w.clerkClaims)).split('.');
      return `${header}.${payload}.`;
    },
  ),
  unauthenticated('forged signature', 'signature segment removed (h.p)', 'token malformed', (w) => {
    const [header, payload] = signed(w, fresh(w.clerkClaims)).split('.');
    return `${header}.${payload}`;
  }),
  unauthenticated(
    'forged signature',
    'HMAC with an empty key, kid pointing at /dev/null',
    'token signature invalid',
    (w) =>
      compact(
        { ...HS256, kid: '../../../../../../dev/null' },
        fresh(w.clerkClaims),
        hmac('sha256', ''),
      ),
  ),
  unauthenticated(
    'forged signature',
    'HMAC keyed with the public tree-head key (PEM)',
    'token signature invalid',
    (w) => compact(HS256, fresh(w.clerkClaims), hmac('sha256', w.treeHeadKeyPem)),
  ),
  unauthenticated('forged signature', 'five segments, as a JWE', 'token malformed', (w) => {
    const token = signed(w, fresh(w.clerkClaims));
    return `${token}.${segment({})}.${segment({})}`;
  }),

  // --- lifetime: signed with the real secret ---------------------------------------------------
  unauthenticated('lifetime', 'exp a minute ago', 'token expired', (w) =>
    signed(w, fresh({ ...w.clerkClaims, iat: nowSeconds() - 3600, exp: nowSeconds() - 60 })),
  ),
  unauthenticated('lifetime', 'exp in 2001', 'token expired', (w) =>
    signed(w, fresh({ ...w.clerkClaims, iat: 978307200, exp: 978310800 })),
  ),
  unauthenticated('lifetime', 'nbf an hour ahead', 'token not yet valid', (w) =>
    signed(w, fresh({ ...w.clerkClaims, nbf: nowSeconds() + 3600 })),
  ),
  // tokens.ts: requiredClaims ['exp', 'sub']; a token that never expires is refused.
  unauthenticated('lifetime', 'no exp at all', 'token has no valid expiry', (w) =>
    signed(w, without(fresh(w.clerkClaims), 'exp')),
  ),
  unauthenticated('lifetime', 'exp as a string', 'token has no valid expiry', (w) =>
    signed(w, { ...fresh(w.clerkClaims), exp: String(nowSeconds() + 600) }),
  ),
  unauthenticated('lifetime', 'no sub', 'token has no subject', (w) =>
    signed(w, without(fresh(w.clerkClaims), 'sub')),
  ),
  unauthenticated('lifetime', 'sub empty', 'token has no subject', (w) =>
    signed(w, fresh({ ...w.clerkClaims, sub: '' })),
  ),

  // --- issuer and audience: embedded mode is iss = aud = 'cunyi' -------------------------------
  unauthenticated('issuer/audience', 'iss of another issuer', 'token issuer not accepted', (w) =>
    signed(w, fresh({ ...w.clerkClaims, iss: 'https://idp.example' })),
  ),
  unauthenticated('issuer/audience', 'iss differs in case only', 'token issuer not accepted', (w) =>
    signed(w, fresh({ ...w.clerkClaims, iss: 'Cunyi' })),
  ),
  unauthenticated('issuer/audience', 'no iss', 'token issuer not accepted', (w) =>
    signed(w, without(fresh(w.clerkClaims), 'iss')),
  ),
  unauthenticated('issuer/audience', 'aud of another app', 'token audience not accepted', (w) =>
    signed(w, fresh({ ...w.clerkClaims, aud: 'another-app' })),
  ),
  unauthenticated(
    'issuer/audience',
    'aud a list without cunyi',
    'token audience not accepted',
    (w) => signed(w, fresh({ ...w.clerkClaims, aud: ['another-app', 'cunyi-admin'] })),
  ),
  unauthenticated('issuer/audience', 'no aud', 'token audience not accepted', (w) =>
    signed(w, without(fresh(w.clerkClaims), 'aud')),
  ),

  // --- header confusion ------------------------------------------------------------------------
  unauthenticated(
    'header confusion',
    'alg none, empty signature',
    'token algorithm not accepted',
    (w) => compact({ alg: 'none', typ: 'JWT' }, fresh(w.clerkClaims), () => ''),
  ),
  unauthenticated(
    'header confusion',
    'alg None, empty signature',
    'token algorithm not accepted',
    (w) => compact({ alg: 'None', typ: 'JWT' }, fresh(w.clerkClaims), () => ''),
  ),
  unauthenticated(
    'header confusion',
    'alg none, with the real HS256 signature kept',
    'token algorithm not accepted',
    (w) => compact({ alg: 'none', typ: 'JWT' }, fresh(w.clerkClaims), hmac('sha256', w.secret)),
  ),
  unauthenticated(
    'header confusion',
    'alg HS512, signed with the real secret',
    'token algorithm not accepted',
    (w) => compact({ alg: 'HS512', typ: 'JWT' }, fresh(w.clerkClaims), hmac('sha512', w.secret)),
  ),
  unauthenticated(
    'header confusion',
    'alg HS384, signed with the real secret',
    'token algorithm not accepted',
    (w) => compact({ alg: 'HS384', typ: 'JWT' }, fresh(w.clerkClaims), hmac('sha384', w.secret)),
  ),
  unauthenticated(
    'header confusion',
    'alg RS256, HMAC-SHA256 with the real secret',
    'token algorithm not accepted',
    (w) => compact({ alg: 'RS256', typ: 'JWT' }, fresh(w.clerkClaims), hmac('sha256', w.secret)),
  ),
  unauthenticated(
    'header confusion',
    'alg RS256 by the attacker’s key, jku to the attacker’s key set',
    'token algorithm not accepted',
    (w) => attackerSigned(w, { jku: `${w.attackerUrl}/jwks.json`, kid: 'attacker' }),
  ),
  unauthenticated(
    'header confusion',
    'alg RS256 by the attacker’s key, x5u to the attacker',
    'token algorithm not accepted',
    (w) => attackerSigned(w, { x5u: `${w.attackerUrl}/cert.pem`, kid: 'attacker' }),
  ),
  unauthenticated(
    'header confusion',
    'alg RS256 by the attacker’s key, the key embedded as jwk',
    'token algorithm not accepted',
    (w) => attackerSigned(w, { jwk: w.attackerJwk }),
  ),
  unauthenticated(
    'header confusion',
    'alg HS256 by another secret, kid/jku/x5u pointing at the attacker',
    'token signature invalid',
    (w) =>
      compact(
        {
          ...HS256,
          kid: 'attacker',
          jku: `${w.attackerUrl}/jwks.json`,
          x5u: `${w.attackerUrl}/cert.pem`,
        },
        fresh(w.clerkClaims),
        hmac('sha256', randomBytes(32)),
      ),
  ),
  unauthenticated(
    'header confusion',
    'crit names an extension nobody understands (real secret)',
    'token algorithm not accepted',
    (w) =>
      signed(w, fresh(w.clerkClaims), { ...HS256, crit: ['x-cunyi-admin'], 'x-cunyi-admin': true }),
  ),

  // --- wrong village: valid tokens, another village's objects ---------------------------------
  ...(
    [
      [
        'CLERK of A registers a villager in B',
        (w) => bearer(w, op.registerVillager(w.b.villageId), w.a.clerk),
      ],
      [
        'CLERK of A registers a household in B',
        (w) => bearer(w, op.registerHousehold(w.b.villageId), w.a.clerk),
      ],
      [
        'CLERK of A imports a roll into B',
        (w) => bearer(w, op.importRoll(w.b.villageId), w.a.clerk),
      ],
      [
        'CLERK of A drafts a proposal in B',
        (w) => bearer(w, op.draftProposal(w.b.villageId), w.a.clerk),
      ],
      [
        'CLERK of A registers a village not theirs',
        (w) => bearer(w, op.registerVillage('xincun', A.township), w.a.clerk),
      ],
      [
        'CLERK of A convenes a meeting in B on B’s proposal',
        (w) =>
          bearer(
            w,
            op.conveneMeeting(w.b.villageId, [w.untabledB], w.t.clock.now().getTime()),
            w.a.clerk,
          ),
      ],
      [
        'CLERK of A convenes a meeting in A with B’s proposal on the agenda',
        (w) =>
          bearer(
            w,
            op.conveneMeeting(w.a.villageId, [w.untabledB], w.t.clock.now().getTime()),
            w.a.clerk,
          ),
      ],
      [
        'CLERK of A closes voting in B’s meeting',
        (w) => bearer(w, op.closeVoting(w.b.meetingId, ITEM_B), w.a.clerk),
      ],
      [
        'CLERK of A records a paper ballot in B’s meeting',
        (w) =>
          bearer(
            w,
            op.recordPaperBallot(w.b.meetingId, ITEM_B, w.b.villagerIds[0] as string),
            w.a.clerk,
          ),
      ],
      [
        'CLERK of A records attendance in B’s meeting',
        (w) =>
          bearer(w, op.recordAttendance(w.b.meetingId, w.b.villagerIds[0] as string), w.a.clerk),
      ],
      [
        'CLERK of A closes B’s petition',
        (w) => bearer(w, op.closePetition(w.petitionB), w.a.clerk),
      ],
      [
        'VILLAGER of A casts a ballot in B’s meeting',
        (w) => bearer(w, op.castBallot(w.b.meetingId, ITEM_B), w.a.villagers[1] as string),
      ],
      [
        'VILLAGER of A checks in to B’s meeting',
        (w) => bearer(w, op.checkIn(w.b.meetingId), w.a.villagers[1] as string),
      ],
      [
        'VILLAGER of A signs B’s petition',
        (w) => bearer(w, op.signPetition(w.petitionB), w.a.villagers[1] as string),
      ],
      [
        'VILLAGER token of A whose sub is a villager of B, voting in B’s meeting',
        async (w) =>
          bearer(
            w,
            op.castBallot(w.b.meetingId, ITEM_B),
            await w.t.token({
              subject: w.b.villagerIds[1] as string,
              role: 'VILLAGER',
              villageId: w.a.villageId,
            }),
          ),
      ],
      [
        'SUPERVISOR of A countersigns in B’s meeting',
        (w) => bearer(w, op.countersignPaperBallots(w.b.meetingId, ITEM_B), w.a.supervisor),
      ],
      [
        'TOWNSHIP_AUDITOR of A’s township orders a correction in B',
        (w) => bearer(w, op.orderCorrection(w.resolvedB), w.a.auditor),
      ],
      [
        'TOWNSHIP_AUDITOR of A’s township reads B’s decisionDossier',
        (w) => bearer(w, op.decisionDossier(w.resolvedB), w.a.auditor),
      ],
      [
        'TOWNSHIP_AUDITOR of A’s township reads B’s townshipOverview',
        (w) => bearer(w, op.townshipOverview(B.township), w.a.auditor),
      ],
      [
        'TOWNSHIP_AUDITOR of A’s township reads B’s auditTrail',
        (w) => bearer(w, op.auditTrail(w.b.villageId), w.a.auditor),
      ],
    ] as const satisfies readonly (readonly [string, Attack['send']])[]
  ).map(([name, send]): Attack => ({ kind: 'wrong village', name, code: 'FORBIDDEN', send })),
  // A token names its actor; a `sub` that is not on the meeting's roll casts nothing, even in
  // the village the token is for.
  {
    kind: 'wrong village',
    name: 'VILLAGER token of A whose sub is a villager of B, voting in A’s meeting',
    code: 'NOT_ON_ROLL',
    send: async (w) =>
      bearer(
        w,
        op.castBallot(w.a.meetingId, ITEM_A),
        await w.t.token({
          subject: w.b.villagerIds[1] as string,
          role: 'VILLAGER',
          villageId: w.a.villageId,
        }),
      ),
  },
  {
    kind: 'wrong village',
    name: 'VILLAGER token of B whose sub is a villager of A, voting in B’s meeting',
    code: 'NOT_ON_ROLL',
    send: async (w) =>
      bearer(
        w,
        op.castBallot(w.b.meetingId, ITEM_B),
        await w.t.token({
          subject: w.a.villagerIds[1] as string,
          role: 'VILLAGER',
          villageId: w.b.villageId,
        }),
      ),
  },

  // --- role escalation ---------------------------------------------------------------------
  unauthenticated('role escalation', 'role ADMIN', 'token has no valid role', (w) =>
    signed(w, fresh({ ...w.clerkClaims, role: 'ADMIN' })),
  ),
  unauthenticated('role escalation', 'role clerk (lowercase)', 'token has no valid role', (w) =>
    signed(w, fresh({ ...w.clerkClaims, role: 'clerk' })),
  ),
  unauthenticated(
    'role escalation',
    'role "CLERK " (trailing space)',
    'token has no valid role',
    (w) => signed(w, fresh({ ...w.clerkClaims, role: 'CLERK ' })),
  ),
  unauthenticated('role escalation', 'role ["CLERK"]', 'token has no valid role', (w) =>
    signed(w, fresh({ ...w.clerkClaims, role: ['CLERK'] })),
  ),
  unauthenticated('role escalation', 'role ["VILLAGER", "CLERK"]', 'token has no valid role', (w) =>
    signed(w, fresh({ ...w.clerkClaims, role: ['VILLAGER', 'CLERK'] })),
  ),
  unauthenticated('role escalation', 'no role, roles ["CLERK"]', 'token has no valid role', (w) =>
    signed(w, without(fresh({ ...w.clerkClaims, roles: ['CLERK'] }), 'role')),
  ),
  unauthenticated(
    'role escalation',
    'CLERK with no village',
    'token for CLERK has no village',
    (w) => signed(w, without(fresh(w.clerkClaims), 'village')),
  ),
  unauthenticated(
    'role escalation',
    'CLERK of two villages (a list)',
    'token for CLERK has no village',
    (w) => signed(w, fresh({ ...w.clerkClaims, village: [A.villageId, B.villageId] })),
  ),
  unauthenticated(
    'role escalation',
    'TOWNSHIP_AUDITOR of two townships (a list)',
    'token for TOWNSHIP_AUDITOR has no township',
    (w) =>
      signed(
        w,
        fresh({ sub: 'auditor-x', role: 'TOWNSHIP_AUDITOR', township: [A.township, B.township] }),
      ),
  ),
  ...(
    [
      [
        'VILLAGER with CLERK in roles, a namespaced role claim, realm_access and scope',
        (w) =>
          bearer(
            w,
            op.registerHousehold(w.a.villageId),
            signed(
              w,
              fresh({
                sub: w.a.villagerIds[1],
                role: 'VILLAGER',
                village: w.a.villageId,
                roles: ['CLERK'],
                'https://cunyi/role': 'CLERK',
                realm_access: { roles: ['CLERK', 'ADMIN'] },
                scope: 'CLERK admin',
                villageRole: 'CLERK',
              }),
            ),
          ),
      ],
      [
        'INTEGRATOR with a village claim registers a household',
        (w) =>
          bearer(
            w,
            op.registerHousehold(w.a.villageId),
            signed(
              w,
              fresh({ sub: 'county-dashboard', role: 'INTEGRATOR', village: w.a.villageId }),
            ),
          ),
      ],
      [
        'INTEGRATOR casts a ballot',
        (w) => bearer(w, op.castBallot(w.a.meetingId, ITEM_A), w.integrator),
      ],
      [
        'INTEGRATOR records a paper ballot',
        (w) =>
          bearer(
            w,
            op.recordPaperBallot(w.a.meetingId, ITEM_A, w.a.villagerIds[2] as string),
            w.integrator,
          ),
      ],
      [
        'INTEGRATOR closes voting',
        (w) => bearer(w, op.closeVoting(w.a.meetingId, ITEM_A), w.integrator),
      ],
      [
        'TOWNSHIP_AUDITOR of A’s township casts a ballot',
        (w) => bearer(w, op.castBallot(w.a.meetingId, ITEM_A), w.a.auditor),
      ],
      [
        'TOWNSHIP_AUDITOR of A’s township records a paper ballot',
        (w) =>
          bearer(
            w,
            op.recordPaperBallot(w.a.meetingId, ITEM_A, w.a.villagerIds[2] as string),
            w.a.auditor,
          ),
      ],
      [
        'TOWNSHIP_AUDITOR of A’s township closes voting',
        (w) => bearer(w, op.closeVoting(w.a.meetingId, ITEM_A), w.a.auditor),
      ],
      [
        'CLERK casts a ballot (a clerk never votes online)',
        (w) => bearer(w, op.castBallot(w.a.meetingId, ITEM_A), w.a.clerk),
      ],
      [
        'SUPERVISOR closes voting',
        (w) => bearer(w, op.closeVoting(w.a.meetingId, ITEM_A), w.a.supervisor),
      ],
      [
        'VILLAGER records a paper ballot for another villager',
        (w) =>
          bearer(
            w,
            op.recordPaperBallot(w.a.meetingId, ITEM_A, w.a.villagerIds[2] as string),
            w.a.villagers[1] as string,
          ),
      ],
      [
        'VILLAGER closes voting',
        (w) => bearer(w, op.closeVoting(w.a.meetingId, ITEM_A), w.a.villagers[1] as string),
      ],
      [
        'VILLAGER registers a household',
        (w) => bearer(w, op.registerHousehold(w.a.villageId), w.a.villagers[1] as string),
      ],
    ] as const satisfies readonly (readonly [string, Attack['send']])[]
  ).map(([name, send]): Attack => ({ kind: 'role escalation', name, code: 'FORBIDDEN', send })),
  {
    kind: 'role escalation',
    name: 'VILLAGER casts a ballot naming another villager (villagerId argument)',
    code: 'GRAPHQL_VALIDATION_FAILED',
    send: (w) =>
      bearer(
        w,
        {
          query: `mutation ($m: ID!, $v: ID!) { castBallot(meetingId: $m, itemId: "${ITEM_A}", choice: AGAINST, villagerId: $v) { caughtUp } }`,
          variables: { m: w.a.meetingId, v: w.a.villagerIds[2] },
        },
        w.a.villagers[1] as string,
      ),
  },

  // --- token placement: clerk A's valid token, anywhere but "Authorization: Bearer" ----------
  ...(
    [
      [
        'Authorization: Basic base64(clerk:token)',
        (w) => ({ authorization: `Basic ${Buffer.from(`clerk:${w.a.clerk}`).toString('base64')}` }),
      ],
      ['Authorization: Basic <token>', (w) => ({ authorization: `Basic ${w.a.clerk}` })],
      [
        'Authorization: Bearer Bearer <token>',
        (w) => ({ authorization: `Bearer Bearer ${w.a.clerk}` }),
      ],
      [
        'Authorization: Bearer <token> <token>',
        (w) => ({ authorization: `Bearer ${w.a.clerk} ${w.a.clerk}` }),
      ],
      [
        'Authorization: Bearer <token>, Bearer <token>',
        (w) => ({ authorization: `Bearer ${w.a.clerk}, Bearer ${w.a.clerk}` }),
      ],
      [
        'Authorization: Bearer "<token>" (quoted)',
        (w) => ({ authorization: `Bearer "${w.a.clerk}"` }),
      ],
      ['Authorization: Token <token>', (w) => ({ authorization: `Token ${w.a.clerk}` })],
      ['Authorization: <token> (no scheme)', (w) => ({ authorization: w.a.clerk })],
      [
        'Authorization: bearer <forged token>',
        (w) => ({ authorization: `bearer ${flipSignatureByte(w.a.clerk)}` }),
      ],
      [
        'two Authorization lines: Basic first, then a valid Bearer',
        (w) => ({ authorization: ['Basic Y2xlcms6cGFzc3dvcmQ=', `Bearer ${w.a.clerk}`] }),
      ],
      ['query parameter access_token', (w) => ({ search: `?access_token=${w.a.clerk}` })],
      ['query parameter token', (w) => ({ search: `?token=${w.a.clerk}` })],
      [
        'query parameter authorization=Bearer …',
        (w) => ({ search: `?authorization=${encodeURIComponent(`Bearer ${w.a.clerk}`)}` }),
      ],
      [
        'cookies access_token, token, jwt, authorization',
        (w) => ({
          headers: {
            cookie: `access_token=${w.a.clerk}; token=${w.a.clerk}; jwt=${w.a.clerk}; authorization=Bearer%20${w.a.clerk}`,
          },
        }),
      ],
      [
        'X-Access-Token, X-Auth-Token, X-Forwarded-Authorization, Proxy-Authorization',
        (w) => ({
          headers: {
            'x-access-token': w.a.clerk,
            'x-auth-token': w.a.clerk,
            'x-forwarded-authorization': `Bearer ${w.a.clerk}`,
            'proxy-authorization': `Bearer ${w.a.clerk}`,
          },
        }),
      ],
      [
        'in the body: extensions.authorization and extensions.headers',
        (w) => ({
          body: {
            extensions: {
              authorization: `Bearer ${w.a.clerk}`,
              headers: { authorization: `Bearer ${w.a.clerk}` },
            },
          },
        }),
      ],
    ] as const satisfies readonly (readonly [string, (w: World) => Sending])[]
  ).map(
    ([name, sending]): Attack => ({
      kind: 'token placement',
      name,
      code: 'UNAUTHENTICATED',
      send: (w) => post(w.t.url, op.registerHousehold(w.a.villageId), sending(w)),
    }),
  ),
  {
    kind: 'token placement',
    name: 'Authorization: bearer <villager token> (scheme case-insensitive: acts as the villager only)',
    code: 'FORBIDDEN',
    send: (w) =>
      post(w.t.url, op.registerHousehold(w.a.villageId), {
        authorization: `bearer ${w.a.villagers[1]}`,
      }),
  },
];

const KINDS = [...new Set(ATTACKS.map((attack) => attack.kind))];

// ---------------------------------------------------------------------------------------------

describe('auth attacks over real HTTP, embedded HS256 mode (issue 6)', () => {
  let w: World;
  let before: LogFingerprint;
  let attacker: Awaited<ReturnType<typeof keyServer>>;
  /** Every answer to an attack: its kind, code and HTTP status. */
  const seen: { kind: Kind; code: unknown; status: number }[] = [];

  beforeAll(async () => {
    const attackerKeys = await generateKeyPair('RS256', { extractable: true });
    const attackerJwk = {
      ...(await exportJWK(attackerKeys.publicKey)),
      kid: 'attacker',
      alg: 'RS256',
      use: 'sig',
    };
    attacker = await keyServer(() => ({ keys: [attackerJwk] }));

    // Dozens of mutations a second from one address: the rate limit is not what this file tests.
    const t = await startApp({ MUTATIONS_PER_MINUTE: '100000' });
    const secret = new TextEncoder().encode(
      readFileSync(join(t.dataDir, AUTH_SECRET_FILE), 'utf8').trim(),
    );

    const village = async ({ villageId, township }: typeof A) => {
      const villagerIds = await seedVillage(t, {
        villageId,
        township,
        adults: 4,
        minors: 0,
        households: 2,
      });
      const clerk = await t.token({ subject: `clerk-${villageId}`, role: 'CLERK', villageId });
      const villagers = await Promise.all(
        villagerIds.map((subject) => t.token({ subject, role: 'VILLAGER', villageId })),
      );
      return { villageId, township, villagerIds, villagers, clerk };
    };
    const a0 = await village(A);
    const b0 = await village(B);

    const draft = async (villageId: string, clerk: string, title: string) => {
      const proposalId = ok(
        await t.graphql<{ draftProposal: { proposal: { id: string } } }>(
          `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } } }`,
          {
            input: {
              villageId,
              title,
              body: `${title}。`,
              matter: 'PUBLIC_WORKS',
              proposer: 'COMMITTEE',
            },
          },
          clerk,
        ),
      ).draftProposal.proposal.id;
      for (const step of ['JOINT_COMMITTEES', 'PARTY_MEMBERS']) {
        ok(
          await t.graphql(
            `mutation ($input: RecordDeliberationInput!) { recordDeliberation(input: $input) { caughtUp } }`,
            {
              input: {
                proposalId,
                step,
                heldAt: t.clock.now().toISOString(),
                members: 9,
                attending: 9,
                agreeing: 9,
                minutesSha256: 'ab'.repeat(32),
              },
            },
            clerk,
          ),
        );
      }
      return proposalId;
    };
    const convene = async (villageId: string, clerk: string, proposalIds: string[]) => {
      const { query, variables } = op.conveneMeeting(
        villageId,
        proposalIds,
        t.clock.now().getTime(),
      );
      return ok(
        await t.graphql<{ conveneMeeting: { meeting: { id: string } } }>(
          query.replace('{ caughtUp }', '{ meeting { id } }'),
          variables,
          clerk,
        ),
      ).conveneMeeting.meeting.id;
    };
    const meetingA = await convene(A.villageId, a0.clerk, [
      await draft(A.villageId, a0.clerk, '村东便民桥'),
    ]);
    const resolvedB = await draft(B.villageId, b0.clerk, '修缮祠堂');
    const meetingB = await convene(B.villageId, b0.clerk, [
      resolvedB,
      await draft(B.villageId, b0.clerk, '道路硬化'),
    ]);
    const untabledB = await draft(B.villageId, b0.clerk, '路灯安装');
    const petitionB = ok(
      await t.graphql<{ startPetition: { petition: { id: string } } }>(
        `mutation ($input: StartPetitionInput!) { startPetition(input: $input) { petition { id } } }`,
        {
          input: {
            villageId: B.villageId,
            purpose: 'CONVENE_ASSEMBLY',
            signatories: 'VILLAGERS',
            subject: '请求召开村民会议',
          },
        },
        b0.villagers[0],
      ),
    ).startPetition.petition.id;

    t.clock.advanceDays(10.1);
    const run = (token: string, query: string, variables: Record<string, unknown>) =>
      t.graphql(query, variables, token).then(ok);
    for (const [v, meetingId] of [
      [a0, meetingA],
      [b0, meetingB],
    ] as const) {
      await run(v.clerk, `mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp } }`, {
        m: meetingId,
      });
      for (const villager of v.villagers)
        await run(villager, op.checkIn(meetingId).query, { m: meetingId });
      await run(
        v.clerk,
        `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: meetingId },
      );
    }
    // In B, item-1 is decided (its proposal resolved, for the correction order) and item-2 opened.
    for (const villager of b0.villagers) {
      await run(
        villager,
        `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: FOR) { caughtUp } }`,
        { m: meetingB },
      );
    }
    await run(b0.clerk, op.closeVoting(meetingB, 'item-1').query, { m: meetingB, i: 'item-1' });
    await run(
      b0.clerk,
      `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "${ITEM_B}") { caughtUp } }`,
      { m: meetingB },
    );

    const supervisor = (v: typeof a0) =>
      t.token({ subject: v.villagerIds[3] as string, role: 'SUPERVISOR', villageId: v.villageId });
    const auditor = (township: string) =>
      t.token({ subject: `auditor-${township}`, role: 'TOWNSHIP_AUDITOR', township });
    const treeHeadKeyPem = ok(
      await t.graphql<{ treeHeadKey: { publicKeyPem: string } }>(
        '{ treeHeadKey { publicKeyPem } }',
      ),
    ).treeHeadKey.publicKeyPem;

    w = {
      t,
      secret,
      a: {
        ...a0,
        meetingId: meetingA,
        supervisor: await supervisor(a0),
        auditor: await auditor(A.township),
      },
      b: {
        ...b0,
        meetingId: meetingB,
        supervisor: await supervisor(b0),
        auditor: await auditor(B.township),
      },
      resolvedB,
      untabledB,
      petitionB,
      integrator: await t.token({ subject: 'county-dashboard', role: 'INTEGRATOR' }),
      treeHeadKeyPem,
      attackerKey: attackerKeys.privateKey,
      attackerJwk,
      attackerUrl: attacker.url,
      clerkClaims: { sub: `clerk-${A.villageId}`, role: 'CLERK', village: A.villageId },
    };
    before = logFingerprint(t.dataDir);
  });

  afterAll(async () => {
    await w?.t.close();
    await new Promise((resolve) => attacker?.server.close(resolve));
  });

  it('a token made by hand the way the server mints one is accepted (the attacks bend only what they name)', async () => {
    const answer = await bearer(w, op.me(), signed(w, fresh(w.clerkClaims)));
    expect(answer.json?.data).toEqual({
      me: {
        subject: `clerk-${A.villageId}`,
        role: 'CLERK',
        villageId: A.villageId,
        // Not in the token: a clerk's township is the one recorded on the village.
        township: A.township,
      },
    });
  });

  describe.each(KINDS)('%s', (kind) => {
    it.each(
      ATTACKS.filter((attack) => attack.kind === kind).map(
        (attack) => [attack.name, attack] as const,
      ),
    )('%s: refused', async (_, attack) => {
      const answer = await attack.send(w);
      seen.push({ kind, code: codeOf(answer), status: answer.status });
      const error = answer.json?.errors?.[0];
      expect({
        status: answer.status,
        code: error?.extensions?.code,
        data: answer.json?.data ?? null,
        ...(attack.message === undefined ? {} : { message: error?.message }),
      }).toEqual({
        status: STATUS_OF[attack.code],
        code: attack.code,
        data: null,
        ...(attack.message === undefined ? {} : { message: attack.message }),
      });
      // The refusal never hands a token back (a JWT's header segment starts "eyJ").
      expect(answer.text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    });
  });

  it('after every attack: no 5xx, the attacker’s key server never asked, the event log unchanged', () => {
    expect(seen).toHaveLength(ATTACKS.length);
    expect(seen.filter(({ status }) => status >= 500)).toEqual([]);
    expect(attacker.hits()).toBe(0);
    expect(logFingerprint(w.t.dataDir)).toEqual(before);
  });

  it('and valid tokens still work: reads in scope, a lowercase scheme, and a ballot cast only as `sub`', async () => {
    expect(ok(await w.t.graphql(op.me().query, {}, w.a.clerk))).toMatchObject({
      me: { role: 'CLERK' },
    });
    // RFC 7235 §2.1: the scheme is case-insensitive (tokens.ts bearerToken); the actor is the token's.
    const lower = await post(w.t.url, op.me(), { authorization: `bearer ${w.a.villagers[1]}` });
    expect(lower.json?.data).toEqual({
      me: {
        subject: w.a.villagerIds[1],
        role: 'VILLAGER',
        villageId: A.villageId,
        township: A.township,
      },
    });
    const dossier = await bearer(w, op.decisionDossier(w.resolvedB), w.b.auditor);
    expect(dossier.json?.data).toEqual({
      decisionDossier: { proposalId: w.resolvedB, villageId: B.villageId },
    });
    const overview = await bearer(w, op.townshipOverview(B.township), w.b.auditor);
    expect(overview.json?.data).toEqual({ townshipOverview: { villages: 1 } });

    // A villager's own token votes as its `sub`: a villagerId smuggled in as an undeclared
    // variable is ignored, not honoured.
    const cast = await bearer(
      w,
      {
        query: `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "${ITEM_A}", choice: FOR) { ballot { villagerId choice } } }`,
        variables: { m: w.a.meetingId, villagerId: w.a.villagerIds[2] },
      },
      w.a.villagers[1] as string,
    );
    expect(cast.json).toEqual({
      data: { castBallot: { ballot: { villagerId: w.a.villagerIds[1], choice: 'FOR' } } },
    });
    const ballots = ok(
      await w.t.graphql<{ meeting: { items: { ballots: { villagerId: string }[] | null }[] } }>(
        `query ($m: ID!) { meeting(meetingId: $m) { items { ballots { villagerId } } } }`,
        { m: w.a.meetingId },
        w.a.clerk,
      ),
    ).meeting.items[0]?.ballots;
    expect(ballots).toEqual([{ villagerId: w.a.villagerIds[1] }]);
    expect(logFingerprint(w.t.dataDir).rows).toBeGreaterThan(before.rows);
  });
});
