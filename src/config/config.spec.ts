import { ConfigError, loadConfig, VARIABLES } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded store in ./data on port 3000', () => {
    expect(loadConfig({})).toEqual({
      eventStore: 'sqlite',
      dataDir: './data',
      eventStoreConnectionString: undefined,
      host: '0.0.0.0',
      port: 3000,
      logFormat: 'pretty',
      logLevel: 'log',
      shutdownTimeoutMs: 10_000,
      authJwtSecret: undefined,
      authJwksUrl: undefined,
      authJwtIssuer: undefined,
      authJwtAudience: undefined,
      readYourWritesTimeoutMs: 2000,
      mutationsPerMinute: 120,
      treeHeadSigningKey: undefined,
      treeHeadEveryEvents: 100,
      treeHeadEverySeconds: 60,
      petitionDutyDays: 30,
      production: false,
      development: false,
    });
  });

  it('requires an issuer and an audience with a JWKS URL', () => {
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://id.example.org/jwks.json' })).toThrow(
      'AUTH_JWT_ISSUER=""',
    );
    expect(
      loadConfig({
        AUTH_JWKS_URL: 'https://id.example.org/jwks.json',
        AUTH_JWT_ISSUER: 'https://id.example.org',
        AUTH_JWT_AUDIENCE: 'cunyi',
      }).authJwksUrl,
    ).toBe('https://id.example.org/jwks.json');
  });

  it('refuses an HS256 secret shorter than 32 characters', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(
      'AUTH_JWT_SECRET accepts a secret of at least 32 characters',
    );
  });

  it('takes an empty variable as unset, so the default applies', () => {
    expect(loadConfig({ EVENT_STORE: '', PORT: '', DATA_DIR: '' })).toMatchObject({
      eventStore: 'sqlite',
      port: 3000,
      dataDir: './data',
    });
  });

  it('logs JSON by default in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).logFormat).toBe('json');
  });

  it('reads an EventStoreDB cluster connection string', () => {
    const connectionString = 'esdb://a:2113,b:2113,c:2113?nodePreference=leader';
    expect(
      loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: connectionString }),
    ).toMatchObject({ eventStore: 'eventstoredb', eventStoreConnectionString: connectionString });
  });

  it.each([
    ['EVENT_STORE', 'postgres'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'trace'],
    ['SHUTDOWN_TIMEOUT_MS', '-1'],
    ['EVENTSTORE_CONNECTION_STRING', 'http://localhost:2113'],
  ])('refuses %s=%s, naming the variable and what it accepts', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    const accepts = Object.values(VARIABLES).find((v) => v.name === name)?.accepts as string;
    expect(attempt).toThrow(`${name}="${value}" is invalid: ${name} accepts ${accepts}`);
  });

  it('requires a connection string for eventstoredb', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(
      /EVENTSTORE_CONNECTION_STRING.*required when EVENT_STORE=eventstoredb/,
    );
  });
});
