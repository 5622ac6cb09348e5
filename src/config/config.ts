/**
 * Cunyi's configuration: every environment variable the app reads, its default and what it
 * accepts, in one table. Validated once at start-up; a bad value stops start-up with one line
 * naming the variable and what it accepts.
 */

export const EVENT_STORE_KINDS = ['sqlite', 'eventstoredb', 'memory'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  readonly eventStore: EventStoreKind;
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly logFormat: (typeof LOG_FORMATS)[number];
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  /** HS256 secret; without it (and without a JWKS URL) one is generated into DATA_DIR. */
  readonly authJwtSecret: string | undefined;
  readonly authJwksUrl: string | undefined;
  readonly authJwtIssuer: string | undefined;
  readonly authJwtAudience: string | undefined;
  readonly readYourWritesTimeoutMs: number;
  readonly mutationsPerMinute: number;
  /** Ed25519 private key (PKCS#8 PEM) signing tree heads; without it one is generated into DATA_DIR. */
  readonly treeHeadSigningKey: string | undefined;
  /** A tree head is signed once this many events have been logged since the last one. */
  readonly treeHeadEveryEvents: number;
  /** …or once this many seconds have passed since the last one, if the log has grown. */
  readonly treeHeadEverySeconds: number;
  /** PRACTICE: days after a petition's threshold is reached within which the committee must act. */
  readonly petitionDutyDays: number;
  /** NODE_ENV=production: introspection and field suggestions off. */
  readonly production: boolean;
  /** NODE_ENV=development: the only setting in which errors carry stack traces. */
  readonly development: boolean;
}

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(
    readonly variable: string,
    value: string,
    accepts: string,
  ) {
    super(`${variable}=${JSON.stringify(value)} is invalid: ${variable} accepts ${accepts}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

interface Variable<T> {
  readonly name: string;
  readonly accepts: string;
  readonly default: (env: Env) => string | undefined;
  readonly parse: (raw: string) => T | undefined;
  readonly description: string;
}

function oneOf<T extends string>(values: readonly T[]): (raw: string) => T | undefined {
  return (raw) => values.find((v) => v === raw);
}

function integer(min: number, max: number): (raw: string) => number | undefined {
  return (raw) => {
    if (!/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };
}

const nonEmpty = (raw: string) => (raw.trim().length > 0 ? raw : undefined);

/** The table. The README's configuration section and docker/ are checked against it. */
export const VARIABLES = {
  eventStore: {
    name: 'EVENT_STORE',
    accepts: EVENT_STORE_KINDS.join(' | '),
    default: () => 'sqlite',
    parse: oneOf(EVENT_STORE_KINDS),
    description: 'which event store adapter to use',
  },
  dataDir: {
    name: 'DATA_DIR',
    accepts: 'a directory path',
    default: () => './data',
    parse: nonEmpty,
    description: 'where the sqlite store keeps its files (events.db)',
  },
  eventStoreConnectionString: {
    name: 'EVENTSTORE_CONNECTION_STRING',
    accepts: 'an esdb:// or esdb+discover:// connection string',
    default: () => undefined,
    parse: (raw: string) => (/^esdb(\+discover)?:\/\/\S+$/.test(raw) ? raw : undefined),
    description: 'EventStoreDB node or cluster; required when EVENT_STORE=eventstoredb',
  },
  host: {
    name: 'HOST',
    accepts: 'an interface address to listen on',
    default: () => '0.0.0.0',
    parse: nonEmpty,
    description: 'address the HTTP server binds',
  },
  port: {
    name: 'PORT',
    accepts: 'an integer from 1 to 65535',
    default: () => '3000',
    parse: integer(1, 65535),
    description: 'HTTP port for GraphQL, /health and /ready',
  },
  logFormat: {
    name: 'LOG_FORMAT',
    accepts: LOG_FORMATS.join(' | '),
    default: (env: Env) => (env.NODE_ENV === 'production' ? 'json' : 'pretty'),
    parse: oneOf(LOG_FORMATS),
    description: 'json (one object per line) in production, pretty otherwise',
  },
  logLevel: {
    name: 'LOG_LEVEL',
    accepts: LOG_LEVELS.join(' | '),
    default: () => 'log',
    parse: oneOf(LOG_LEVELS),
    description: 'the least severe level written',
  },
  shutdownTimeoutMs: {
    name: 'SHUTDOWN_TIMEOUT_MS',
    accepts: 'an integer from 0 to 600000',
    default: () => '10000',
    parse: integer(0, 600_000),
    description: 'on SIGTERM, how long in-flight work may take before the process exits',
  },
  authJwtSecret: {
    name: 'AUTH_JWT_SECRET',
    accepts: 'a secret of at least 32 characters',
    default: () => undefined,
    parse: (raw: string) => (raw.length >= 32 ? raw : undefined),
    description: 'HS256 token secret; unset: generated on first start into DATA_DIR/auth-secret',
  },
  authJwksUrl: {
    name: 'AUTH_JWKS_URL',
    accepts: 'an http(s) URL',
    default: () => undefined,
    parse: (raw: string) => (/^https?:\/\/\S+$/.test(raw) ? raw : undefined),
    description: 'identity provider key set (RS256/ES256); when set, HS256 tokens are refused',
  },
  authJwtIssuer: {
    name: 'AUTH_JWT_ISSUER',
    accepts: 'the issuer (iss) tokens must carry',
    default: () => undefined,
    parse: nonEmpty,
    description: 'required with AUTH_JWKS_URL',
  },
  authJwtAudience: {
    name: 'AUTH_JWT_AUDIENCE',
    accepts: 'the audience (aud) tokens must carry',
    default: () => undefined,
    parse: nonEmpty,
    description: 'required with AUTH_JWKS_URL',
  },
  readYourWritesTimeoutMs: {
    name: 'READ_YOUR_WRITES_TIMEOUT_MS',
    accepts: 'an integer from 0 to 60000',
    default: () => '2000',
    parse: integer(0, 60_000),
    description: 'how long a mutation waits for the read model to reach its own append',
  },
  mutationsPerMinute: {
    name: 'MUTATIONS_PER_MINUTE',
    accepts: 'an integer from 1 to 100000',
    default: () => '120',
    parse: integer(1, 100_000),
    description: 'per-user rate limit on mutations',
  },
  treeHeadSigningKey: {
    name: 'TREE_HEAD_SIGNING_KEY',
    accepts: 'an Ed25519 private key in PKCS#8 PEM',
    default: () => undefined,
    parse: (raw: string) => (raw.includes('-----BEGIN PRIVATE KEY-----') ? raw : undefined),
    description:
      'signs the transparency log’s tree heads; unset: generated on first start into DATA_DIR/tree-head-key.pem',
  },
  treeHeadEveryEvents: {
    name: 'TREE_HEAD_EVERY_EVENTS',
    accepts: 'an integer from 1 to 1000000',
    default: () => '100',
    parse: integer(1, 1_000_000),
    description: 'a signed tree head once this many events have been logged since the last',
  },
  treeHeadEverySeconds: {
    name: 'TREE_HEAD_EVERY_SECONDS',
    accepts: 'an integer from 1 to 86400',
    default: () => '60',
    parse: integer(1, 86_400),
    description: 'a signed tree head at least this often while the log grows',
  },
  petitionDutyDays: {
    name: 'PETITION_DUTY_DAYS',
    accepts: 'an integer from 1 to 365',
    default: () => '30',
    parse: integer(1, 365),
    description:
      'PRACTICE: days a petition’s duty may stand before the township overview flags it (provincial rules vary)',
  },
} satisfies {
  [K in Exclude<keyof AppConfig, 'production' | 'development'>]: Variable<
    NonNullable<AppConfig[K]>
  >;
};

/** Reads and validates the environment. Throws ConfigError on the first bad variable. */
export function loadConfig(env: Env): AppConfig {
  const read = <T>(variable: Variable<T>): T | undefined => {
    // An empty variable (`EVENT_STORE=` from a compose file) is unset: the default applies.
    const raw = env[variable.name] || variable.default(env);
    if (raw === undefined) return undefined;
    const value = variable.parse(raw);
    if (value === undefined) throw new ConfigError(variable.name, raw, variable.accepts);
    return value;
  };
  const config: AppConfig = {
    eventStore: read(VARIABLES.eventStore) as EventStoreKind,
    dataDir: read(VARIABLES.dataDir) as string,
    eventStoreConnectionString: read(VARIABLES.eventStoreConnectionString),
    host: read(VARIABLES.host) as string,
    port: read(VARIABLES.port) as number,
    logFormat: read(VARIABLES.logFormat) as AppConfig['logFormat'],
    logLevel: read(VARIABLES.logLevel) as LogLevel,
    shutdownTimeoutMs: read(VARIABLES.shutdownTimeoutMs) as number,
    authJwtSecret: read(VARIABLES.authJwtSecret),
    authJwksUrl: read(VARIABLES.authJwksUrl),
    authJwtIssuer: read(VARIABLES.authJwtIssuer),
    authJwtAudience: read(VARIABLES.authJwtAudience),
    readYourWritesTimeoutMs: read(VARIABLES.readYourWritesTimeoutMs) as number,
    mutationsPerMinute: read(VARIABLES.mutationsPerMinute) as number,
    treeHeadSigningKey: read(VARIABLES.treeHeadSigningKey),
    treeHeadEveryEvents: read(VARIABLES.treeHeadEveryEvents) as number,
    treeHeadEverySeconds: read(VARIABLES.treeHeadEverySeconds) as number,
    petitionDutyDays: read(VARIABLES.petitionDutyDays) as number,
    production: env.NODE_ENV === 'production',
    development: env.NODE_ENV === 'development',
  };
  if (config.authJwksUrl !== undefined) {
    for (const variable of [VARIABLES.authJwtIssuer, VARIABLES.authJwtAudience]) {
      if (read(variable) === undefined) {
        throw new ConfigError(
          variable.name,
          '',
          `${variable.accepts} (required with AUTH_JWKS_URL)`,
        );
      }
    }
  }
  if (config.eventStore === 'eventstoredb' && config.eventStoreConnectionString === undefined) {
    throw new ConfigError(
      VARIABLES.eventStoreConnectionString.name,
      '',
      `${VARIABLES.eventStoreConnectionString.accepts} (required when EVENT_STORE=eventstoredb)`,
    );
  }
  return config;
}
