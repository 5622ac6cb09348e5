import { type Actor, ROLES, type Role, VILLAGE_ROLES } from '../auth/actor';
import { TOKEN_SERVICE } from '../auth/auth.module';
import type { TokenService } from '../auth/tokens';
import type { AppConfig } from '../config/config';
import { openContext } from './context';
import { CliError, type Io } from './io';
import { CLI_SUBJECT, requireVillageId } from './village';

export interface TokenRequest {
  readonly role: string;
  readonly village?: string;
  readonly township?: string;
  readonly subject?: string;
  readonly ttl?: string;
}

/** A token lives at most a year: longer-lived credentials belong to an identity provider. */
const MAX_TTL_SECONDS = 366 * 24 * 60 * 60;

/** Roles whose subject is a villager id on the roll: they check in, vote and sign as themselves. */
const VILLAGER_SUBJECTS: readonly Role[] = ['VILLAGER', 'SUPERVISOR'];

/** The actor a token request describes, with every claim its role requires and none it does not. */
export function tokenActor(request: TokenRequest): Actor {
  const role = request.role.toUpperCase() as Role;
  if (!ROLES.includes(role)) {
    throw new CliError(`unknown role "${request.role}": the roles are ${ROLES.join(', ')}`);
  }
  const villageRole = VILLAGE_ROLES.includes(role);
  if (villageRole && request.village === undefined) {
    throw new CliError(`a ${role} token is for one village: pass --village <villageId>`);
  }
  if (!villageRole && request.village !== undefined) {
    throw new CliError(`--village is for ${VILLAGE_ROLES.join(', ')} tokens, not ${role}`);
  }
  if (request.village !== undefined) requireVillageId(request.village);
  const township = request.township?.trim();
  if (role === 'TOWNSHIP_AUDITOR' && !township) {
    throw new CliError(`a ${role} token is for one township: pass --township <name>`);
  }
  if (role !== 'TOWNSHIP_AUDITOR' && request.township !== undefined) {
    throw new CliError(`--township is for TOWNSHIP_AUDITOR tokens, not ${role}`);
  }
  if (VILLAGER_SUBJECTS.includes(role) && request.subject === undefined) {
    throw new CliError(
      `a ${role}'s subject is their villager id on the roll: pass --subject <villagerId>`,
    );
  }
  const subject = request.subject ?? CLI_SUBJECT;
  if (subject.trim() === '') throw new CliError('--subject must not be empty');
  return {
    subject,
    role,
    ...(request.village === undefined ? {} : { villageId: request.village }),
    ...(role === 'TOWNSHIP_AUDITOR' ? { township } : {}),
  };
}

function ttlOf(ttl: string | undefined): number | undefined {
  if (ttl === undefined) return undefined;
  const seconds = /^\d+$/.test(ttl) ? Number(ttl) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) {
    throw new CliError(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
  }
  return seconds;
}

/** Tokens the server accepts: minted by its own TokenService, with its secret. */
export function requireEmbeddedTokens(config: AppConfig): void {
  if (config.authJwksUrl !== undefined) {
    throw new CliError(
      'AUTH_JWKS_URL is set: the server accepts only its identity provider’s tokens, so get one there; the CLI mints tokens only in the embedded HS256 mode',
    );
  }
  if (config.eventStore === 'memory' && config.authJwtSecret === undefined) {
    throw new CliError(
      'with EVENT_STORE=memory and no AUTH_JWT_SECRET each process makes up its own secret, so no server would accept this token: set AUTH_JWT_SECRET',
    );
  }
}

export async function mintToken(config: AppConfig, io: Io, request: TokenRequest): Promise<void> {
  requireEmbeddedTokens(config);
  const actor = tokenActor(request);
  const ttl = ttlOf(request.ttl);
  const context = await openContext(config, io);
  let token: string;
  try {
    token = await context.get<TokenService>(TOKEN_SERVICE).mint(actor, ttl);
  } finally {
    await context.close();
  }
  io.stdout.write(`${token}\n`);
}
