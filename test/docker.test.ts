/**
 * Static checks of docker/: no Docker engine runs in CI, so these read the compose files and
 * the Dockerfile and check that they agree with the app's configuration table and with each
 * other (service names, ports, certificate paths).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The client's own parser: the option names below are the ones it actually understands.
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { parse } from 'yaml';
import { ConfigError, loadConfig, VARIABLES } from '../src/config/config';

const ROOT = resolve(__dirname, '..');
const DOCKER = join(ROOT, 'docker');
const DEFAULT_PORT = Number(VARIABLES.port.default());
const KNOWN = new Set<string>([...Object.values(VARIABLES).map((v) => v.name), 'NODE_ENV']);

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: string[] | Record<string, string | number | boolean | null>;
  ports?: (string | { target: number; published: number | string })[];
  depends_on?: string[] | Record<string, { condition: string }>;
  volumes?: string[];
  command?: string | string[];
  healthcheck?: { test: string | string[] };
  stop_grace_period?: string;
}

const compose = (file: string): Record<string, Service> =>
  parse(readFileSync(join(DOCKER, file), 'utf8'), { merge: true }).services;

function envOf(service: Service): Env {
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((e) => e.split(/=(.*)/s).slice(0, 2)));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v ?? '')]));
}
const portsOf = (s: Service) =>
  (s.ports ?? []).map((p) => {
    if (typeof p !== 'string') return { host: Number(p.published), container: Number(p.target) };
    const parts = p.split('/')[0].split(':');
    return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
  });
const dependsOn = (s: Service): Record<string, string> =>
  Array.isArray(s.depends_on)
    ? Object.fromEntries(s.depends_on.map((d) => [d, 'service_started']))
    : Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([k, v]) => [k, v.condition]));
const mounts = (s: Service) =>
  (s.volumes ?? []).map((v) => {
    const [source, target, mode = 'rw'] = v.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
const unknownVariables = (env: Env) => Object.keys(env).filter((name) => !KNOWN.has(name));
const isStore = (s: Service) => s.image?.startsWith('eventstore/eventstore:') ?? false;
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? Number.NaN);

/** The Dockerfile as instructions, continuation lines joined, comments dropped. */
const instructions = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [, op, args] = /^(\w+)\s+(.*)$/s.exec(line) ?? [];
    return { op: op.toUpperCase(), args };
  });
const finalStage = instructions.slice(instructions.map((i) => i.op).lastIndexOf('FROM') + 1);
const argsOf = (op: string) => finalStage.filter((i) => i.op === op).map((i) => i.args);
const imageEnv: Env = Object.fromEntries(
  argsOf('ENV').flatMap((args) => [...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])),
);

const CERTS_READ_ONLY = { source: 'certs', target: '/certs', readOnly: true };
const SINGLE = 'docker-compose.yml';
const CLUSTER = 'docker-compose.cluster.yml';

describe('compose files', () => {
  it('docker-compose.yml runs one EventStoreDB node and the app', () => {
    expect(Object.keys(compose(SINGLE)).sort()).toEqual(['app', 'eventstore']);
  });

  it('docker-compose.cluster.yml runs a cert setup, three nodes and two app replicas', () => {
    const services = compose(CLUSTER);
    expect(Object.keys(services).sort().join(' ')).toBe('app1 app2 node1 node2 node3 setup');
    expect([...portsOf(services.app1), ...portsOf(services.app2)].map((p) => p.host)).toEqual([
      3001, 3002,
    ]);
  });
});

describe.each([
  [SINGLE, 'app'],
  [CLUSTER, 'app1'],
  [CLUSTER, 'app2'],
])('%s service %s', (file, name) => {
  const services = compose(file);
  const app = services[name];
  const env = envOf(app);
  const stores = Object.keys(services).filter((s) => isStore(services[s]));

  it('is built from docker/Dockerfile with the repository root as context', () => {
    expect(resolve(DOCKER, app.build?.context ?? '')).toBe(ROOT);
    expect(existsSync(join(ROOT, app.build?.dockerfile ?? ''))).toBe(true);
  });

  it('sets only variables the app reads, and loadConfig accepts them', () => {
    expect(unknownVariables({ ...imageEnv, ...env })).toEqual([]);
    const config = loadConfig({ ...imageEnv, ...env });
    expect(config.eventStore).toBe('eventstoredb');
    expect(seconds(app.stop_grace_period ?? '')).toBeGreaterThan(config.shutdownTimeoutMs / 1000);
  });

  it('publishes its PORT', () => {
    const { port } = loadConfig({ ...imageEnv, ...env });
    expect(portsOf(app)).toEqual([{ host: expect.any(Number), container: port }]);
  });

  it('connects to every store node of the file, on port 2113, once each is healthy', () => {
    const { hosts } = parseConnectionString(env.EVENTSTORE_CONNECTION_STRING);
    expect(hosts.map((h) => h.address).sort()).toEqual(stores.sort());
    for (const host of hosts) {
      expect(host.port).toBe(2113);
      expect(envOf(services[host.address]).EVENTSTORE_NODE_PORT).toBe('2113');
    }
    expect(dependsOn(app)).toEqual(Object.fromEntries(stores.map((s) => [s, 'service_healthy'])));
    for (const store of stores) expect(services[store].healthcheck?.test).toContain('curl');
  });

  it('uses TLS exactly when the store is secure, trusting the CA the setup service wrote', () => {
    const options = parseConnectionString(env.EVENTSTORE_CONNECTION_STRING);
    const insecure = stores.map((s) => envOf(services[s]).EVENTSTORE_INSECURE === 'true');
    expect(insecure).toEqual(stores.map(() => !options.tls));
    if (!options.tls) return;
    expect(options.nodePreference).toBe('leader');
    expect(options.defaultCredentials?.username).toBeTruthy();
    expect(options.tlsCAFile).toBe('/certs/ca/ca.crt');
    expect(mounts(app)).toContainEqual(CERTS_READ_ONLY);
  });

  it('fails loadConfig when a value is wrong, so the agreement check can fail', () => {
    expect(() => loadConfig({ ...env, EVENT_STORE: 'postgres' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, PORT: '3000x' })).toThrow(/PORT/);
    const { EVENTSTORE_CONNECTION_STRING: _, ...withoutStore } = env;
    expect(() => loadConfig(withoutStore)).toThrow(/EVENTSTORE_CONNECTION_STRING/);
    expect(unknownVariables({ ...env, EVENTSTORE_CONNECTION_STRNG: 'x' })).toEqual([
      'EVENTSTORE_CONNECTION_STRNG',
    ]);
  });
});

describe('docker-compose.cluster.yml nodes', () => {
  const services = compose(CLUSTER);
  const nodes = ['node1', 'node2', 'node3'];
  const setup = services.setup;
  const script = [setup.command ?? []].flat().join('\n');

  it.each(nodes)('%s gossips with the other two nodes and expects a cluster of 3', (node) => {
    const env = envOf(services[node]);
    const seeds = env.EVENTSTORE_GOSSIP_SEED.split(',').sort();
    expect(seeds).toEqual(nodes.filter((n) => n !== node).map((n) => `${n}:2113`));
    expect(env.EVENTSTORE_CLUSTER_SIZE).toBe(String(nodes.length));
    expect(env.EVENTSTORE_DISCOVER_VIA_DNS).toBe('false');
    expect(env.EVENTSTORE_NODE_HOST_ADVERTISE_AS).toBe(node);
  });

  it.each(nodes)('%s uses a certificate the setup service generates for its name', (node) => {
    const env = envOf(services[node]);
    expect(mounts(services[node])).toContainEqual(CERTS_READ_ONLY);
    expect(dependsOn(services[node])).toEqual({ setup: 'service_completed_successfully' });
    expect(env.EVENTSTORE_INSECURE).toBeUndefined();
    expect(env.EVENTSTORE_CERTIFICATE_FILE).toBe(`/certs/${node}/node.crt`);
    expect(env.EVENTSTORE_CERTIFICATE_PRIVATE_KEY_FILE).toBe(`/certs/${node}/node.key`);
    expect(env.EVENTSTORE_TRUSTED_ROOT_CERTIFICATES_PATH).toBe('/certs/ca');
    const line = script
      .split('\n')
      .find((l) => l.includes('create-node') && l.includes(`-out /certs/${node} `));
    expect(line).toBeDefined();
    expect(/-dns-names (\S+)/.exec(line ?? '')?.[1].split(',')).toContain(node);
  });

  it('setup writes the CA and node certificates into the certs volume', () => {
    expect(setup.image).toMatch(/^eventstore\/es-gencert-cli:\d/);
    expect(mounts(setup)).toContainEqual({ ...CERTS_READ_ONLY, readOnly: false });
    expect(script).toMatch(/es-gencert-cli create-ca -out \/certs\/ca\n/);
  });
});

describe('docker/Dockerfile', () => {
  it('builds in one stage and runs in another, as a non-root user', () => {
    expect(instructions.filter((i) => i.op === 'FROM').length).toBeGreaterThanOrEqual(2);
    const user = argsOf('USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
  });

  it('exposes and sets the default PORT, and sets only variables the app reads', () => {
    expect(argsOf('EXPOSE')).toEqual([String(DEFAULT_PORT)]);
    expect(imageEnv.PORT).toBe(String(DEFAULT_PORT));
    expect(unknownVariables(imageEnv)).toEqual([]);
    expect(loadConfig(imageEnv).dataDir).toBe('/data');
  });

  it('runs the entry file nest build emits', () => {
    const nest = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8'));
    expect(JSON.parse(argsOf('CMD').at(-1) ?? '[]')).toEqual(['node', `dist/${nest.entryFile}.js`]);
    expect(`dist/${nest.entryFile}.js`).toBe('dist/src/main.js');
  });

  it('health-checks GET /health with node itself', () => {
    const check = argsOf('HEALTHCHECK').at(-1) ?? '';
    const command = JSON.parse(check.slice(check.indexOf('CMD') + 3));
    expect(command[0]).toBe('node');
    expect(/'(\/[\w/-]*)'\)/.exec(command.join(' '))?.[1]).toBe('/health');
  });
});
