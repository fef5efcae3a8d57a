/**
 * Checks docker-compose.yml without Docker: the four services get exactly the variables their
 * config classes read (taken from the classes themselves, so a renamed or new variable fails
 * here), the values pass the real loadConfig, and the wiring between the services and Kafka,
 * Postgres and Mailpit holds. The compose variables are resolved as compose does, from
 * .env.example (what a self-hoster starts from) and from the secrets alone (the file's defaults).
 */
import { ServiceName, ServiceNames } from '@valley/contracts';
import { loadConfig, ServiceConfig, serviceDatabaseUrl, serviceRole } from '@valley/platform';
import { TRACING_VARIABLES } from '@valley/platform/tracing';
import { getMetadataStorage, IsNotEmpty, IsString } from 'class-validator';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DirectoryConfig } from '../../services/directory/src/directory.config';
import { MembershipConfig } from '../../services/membership/src/membership.config';
import { NotificationsConfig } from '../../services/notifications/src/notifications.config';
import { ReportingConfig } from '../../services/reporting/src/reporting.config';
import { PortalConfig } from '../../services/portal/src/portal.config';

const REPO_ROOT = join(__dirname, '..', '..');
const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const ENV_EXAMPLE_FILE = join(REPO_ROOT, '.env.example');

const CONFIG_CLASSES: Record<ServiceName, new () => ServiceConfig> = {
  membership: MembershipConfig,
  directory: DirectoryConfig,
  notifications: NotificationsConfig,
  reporting: ReportingConfig,
};

/** The documented ports (README, scripts/start.ts). */
const PORTS: Record<ServiceName, number> = { membership: 3001, directory: 3002, notifications: 3003, reporting: 3004 };

/** Variables compose must refuse to run without: no silent default for a secret. */
const SECRETS = [
  'AUTH_JWT_SECRET',
  'POSTGRES_PASSWORD',
  'SERVICE_DB_PASSWORD',
  'MEMBER_TOKEN_PRIVATE_KEY',
  'PERSONAL_DATA_KEY',
];
/** A value of each secret that its service's config accepts. */
const SECRET_SAMPLES: Record<string, string> = {
  MEMBER_TOKEN_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString()
    .replace(/\n/g, '\\n'),
  PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
};

type Env = Record<string, string>;

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, unknown> | string[] };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

// ---------------------------------------------------------------- compose interpolation

/**
 * Compose's variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}, ${VAR:+replacement}, ${VAR+replacement}, nested in defaults.
 * Records every variable name it meets in `used`.
 */
function interpolate(text: string, env: Env, used: Set<string> = new Set()): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      if (!name) {
        out += '$';
        i++;
        continue;
      }
      used.add(name);
      out += env[name] ?? '';
      i += 1 + name.length;
      continue;
    }
    // ${...}: find the matching brace (defaults may hold nested ${...}).
    let depth = 1;
    let j = i + 2;
    while (j < text.length && depth > 0) {
      if (text[j] === '$' && text[j + 1] === '{') {
        depth++;
        j += 2;
        continue;
      }
      if (text[j] === '}') depth--;
      j++;
    }
    if (depth !== 0) throw new Error(`unterminated \${ in "${text}"`);
    const body = text.slice(i + 2, j - 1);
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
    if (!match) throw new Error(`invalid interpolation "\${${body}}"`);
    const [, name, operator, argument = ''] = match;
    used.add(name);
    const value = env[name];
    const unset = value === undefined;
    const missing = operator?.startsWith(':') ? unset || value === '' : unset;
    switch (operator?.replace(':', '')) {
      case undefined:
        out += value ?? '';
        break;
      case '-':
        out += missing ? interpolate(argument, env, used) : value;
        break;
      case '?':
        if (missing)
          throw new Error(`required variable ${name} is missing a value: ${interpolate(argument, env, used)}`);
        out += value;
        break;
      case '+':
        out += missing ? '' : interpolate(argument, env, used);
        break;
    }
    i = j;
  }
  return out;
}

function interpolateTree(node: unknown, env: Env, used: Set<string>): unknown {
  if (typeof node === 'string') return interpolate(node, env, used);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env, used));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateTree(value, env, used)]));
  }
  return node;
}

const rawCompose: unknown = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true });

function resolveCompose(env: Env, used: Set<string> = new Set()): ComposeFile {
  return interpolateTree(rawCompose, env, used) as ComposeFile;
}

/** The .env syntax compose reads: KEY=VALUE, comments, quoted values. */
function parseDotenv(text: string): Env {
  const env: Env = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 1) throw new Error(`.env line without KEY=: ${line}`);
    const key = trimmed.slice(0, eq).trim();
    let value = trimmed.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    env[key] = value;
  }
  return env;
}

const envExampleText = readFileSync(ENV_EXAMPLE_FILE, 'utf8');
const envExample = parseDotenv(envExampleText);
const secretsOnly: Env = Object.fromEntries(
  SECRETS.map((name) => [name, SECRET_SAMPLES[name] ?? `test-${name.toLowerCase()}-0123456789`]),
);

/** The two ways a self-hoster runs it: the .env.example values, and only the required secrets. */
const ENVIRONMENTS: [string, Env][] = [
  ['.env.example', envExample],
  ['secrets only (compose defaults)', secretsOnly],
];

// ---------------------------------------------------------------- compose helpers

function environmentOf(service: ComposeService): Record<string, string | undefined> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, undefined] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      value === null || value === undefined ? undefined : String(value),
    ]),
  );
}

interface PortMapping {
  hostIp?: string;
  published?: number;
  target: number;
}

function portsOf(service: ComposeService): PortMapping[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return {
        hostIp: port.host_ip,
        published: port.published === undefined ? undefined : Number(port.published),
        target: port.target,
      };
    }
    const parts = String(port)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts.pop());
    const published = parts.length > 0 ? Number(parts.pop()) : undefined;
    return { hostIp: parts.pop(), published, target };
  });
}

function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition]));
}

function commandOf(service: ComposeService): string {
  return Array.isArray(service.command) ? service.command.join(' ') : (service.command ?? '');
}

function buildArgs(service: ComposeService): Record<string, string> {
  const args = typeof service.build === 'object' ? service.build.args : undefined;
  if (!args) return {};
  if (Array.isArray(args))
    return Object.fromEntries(args.map((a) => [a.split('=')[0], a.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
}

/** A Kafka listener list, "NAME://host:port,..." → name → { host, port }. */
function listeners(value: string | undefined): Map<string, { host: string; port: number }> {
  const map = new Map<string, { host: string; port: number }>();
  for (const entry of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_]+):\/\/([^:]*):(\d+)$/.exec(entry);
    if (!match) throw new Error(`unreadable listener "${entry}"`);
    map.set(match[1], { host: match[2], port: Number(match[3]) });
  }
  return map;
}

/** The variables a config class reads: every validated property, and every declared field. */
function configVariables(configClass: new () => object): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(configClass, '', true, false)
    .map((metadata) => metadata.propertyName);
  const declared = Object.keys(new configClass());
  return [...new Set([...validated, ...declared])].sort();
}

// ---------------------------------------------------------------- tests

describe('docker-compose.yml', () => {
  const compose = resolveCompose(envExample);
  const services = compose.services;

  it('defines kafka, postgres, mailpit, the one-shot migrate and the four services', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['kafka', 'postgres', 'mailpit', 'migrate', ...ServiceNames]),
    );
    expect(services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.mailpit.image).toMatch(/^axllent\/mailpit(:|$)/);
    for (const infra of ['kafka', 'postgres', 'mailpit']) {
      expect(services[infra].healthcheck?.test).toBeDefined();
      expect(services[infra].healthcheck?.disable).not.toBe(true);
    }
  });

  it('publishes no host port twice', () => {
    const published = Object.values(services).flatMap((s) =>
      portsOf(s)
        .map((p) => p.published)
        .filter((p) => p !== undefined),
    );
    expect(published).toEqual([...new Set(published)]);
  });

  describe.each(ServiceNames.map((name) => [name] as const))('%s', (name) => {
    const configClass = CONFIG_CLASSES[name];
    const port = PORTS[name];

    it(`publishes port ${port} and sets PORT=${port}`, () => {
      const service = services[name];
      expect(service).toBeDefined();
      expect(portsOf(service)).toContainEqual(expect.objectContaining({ published: port, target: port }));
      expect(environmentOf(service).PORT).toBe(String(port));
    });

    it('sets exactly the variables its config class reads, and those of the trace SDK', () => {
      const expected = configVariables(configClass);
      expect(expected).toEqual(
        expect.arrayContaining(['PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'AUTH_JWT_SECRET', 'LOG_LEVEL']),
      );
      expect(Object.keys(environmentOf(services[name])).sort()).toEqual([...expected, ...TRACING_VARIABLES].sort());
    });

    it.each(ENVIRONMENTS)('its environment passes loadConfig (with %s)', (_label, env) => {
      const environment = environmentOf(resolveCompose(env).services[name]);
      const config = loadConfig(configClass, environment);
      expect(config.PORT).toBe(port);
      expect(config.KAFKA_BROKERS).toEqual(['kafka:9092']);
      expect(config.DATABASE_URL).toBe(environment.DATABASE_URL);
      expect(config.AUTH_JWT_SECRET).toBe(env.AUTH_JWT_SECRET);
    });

    it('connects to Postgres as its own role, with the URL migrate provisions', () => {
      const url = new URL(environmentOf(services[name]).DATABASE_URL!);
      expect(url.protocol).toBe('postgres:');
      expect(url.username).toBe(serviceRole(name));
      expect(url.username).toBe(`valley_${name}`);
      expect(url.hostname).toBe('postgres');
      expect(services[url.hostname]).toBeDefined();
      expect(url.port).toBe('5432');

      const migrateEnv = environmentOf(services.migrate);
      expect(decodeURIComponent(url.password)).toBe(migrateEnv.SERVICE_DB_PASSWORD);
      const saved = process.env.SERVICE_DB_PASSWORD;
      process.env.SERVICE_DB_PASSWORD = migrateEnv.SERVICE_DB_PASSWORD;
      try {
        expect(url.toString()).toBe(serviceDatabaseUrl(migrateEnv.DATABASE_URL!, name));
      } finally {
        if (saved === undefined) delete process.env.SERVICE_DB_PASSWORD;
        else process.env.SERVICE_DB_PASSWORD = saved;
      }
    });

    it("reaches Kafka through the kafka service's advertised in-network listener", () => {
      const kafkaEnv = environmentOf(services.kafka);
      const advertised = listeners(kafkaEnv.KAFKA_ADVERTISED_LISTENERS);
      const bound = listeners(kafkaEnv.KAFKA_LISTENERS);
      const protocols = new Map(
        (kafkaEnv.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP ?? '')
          .split(',')
          .map((pair) => pair.split(':') as [string, string]),
      );
      const brokers = environmentOf(services[name])
        .KAFKA_BROKERS!.split(',')
        .map((s) => s.trim());
      expect(brokers.length).toBeGreaterThan(0);
      for (const broker of brokers) {
        const [host, brokerPort] = broker.split(':');
        expect(host).toBe('kafka');
        expect(services[host]).toBeDefined();
        const listener = [...advertised].find(([, l]) => l.host === host && l.port === Number(brokerPort));
        expect(listener).toBeDefined();
        const [listenerName] = listener!;
        expect(bound.get(listenerName)?.port).toBe(Number(brokerPort));
        // The services speak plain Kafka (no TLS/SASL settings in ServiceConfig).
        expect(protocols.get(listenerName)).toBe('PLAINTEXT');
      }
    });

    it('starts after migrate completed and Kafka and Postgres are healthy', () => {
      const deps = dependsOn(services[name]);
      expect(deps.migrate).toBe('service_completed_successfully');
      expect(deps.kafka).toBe('service_healthy');
      expect(deps.postgres).toBe('service_healthy');
    });

    it('is built from the repo Dockerfile for this service', () => {
      const build = services[name].build;
      const context = typeof build === 'string' ? build : build?.context;
      expect(context).toBe('.');
      expect(buildArgs(services[name]).SERVICE).toBe(name);
      expect(existsSync(join(REPO_ROOT, 'services', name, 'src', 'main.ts'))).toBe(true);
    });
  });

  it.each(ENVIRONMENTS)("notifications sends mail to the mailpit service's SMTP port (with %s)", (_label, env) => {
    const resolved = resolveCompose(env).services;
    const smtp = new URL(environmentOf(resolved.notifications).SMTP_URL!);
    expect(smtp.protocol).toBe('smtp:');
    expect(smtp.hostname).toBe('mailpit');
    expect(resolved[smtp.hostname]?.image).toMatch(/^axllent\/mailpit/);
    // Mailpit's SMTP server listens on 1025 unless MP_SMTP_BIND_ADDR says otherwise.
    const bind = environmentOf(resolved.mailpit).MP_SMTP_BIND_ADDR;
    expect(smtp.port).toBe(bind ? bind.split(':').pop() : '1025');
    expect(dependsOn(resolved.notifications).mailpit).toBeDefined();
  });

  it('runs migrate once, as the Postgres admin, before seeding', () => {
    const migrate = services.migrate;
    const command = commandOf(migrate);
    expect(command).toMatch(/npm run migrate\b.*&&.*npm run seed\b/);
    expect(dependsOn(migrate).postgres).toBe('service_healthy');
    expect((migrate as { restart?: string }).restart ?? 'no').toBe('no');

    const env = environmentOf(migrate);
    expect(Object.keys(env).sort()).toEqual(['DATABASE_URL', 'SERVICE_DB_PASSWORD']);
    const admin = new URL(env.DATABASE_URL!);
    expect(admin.hostname).toBe('postgres');
    expect(admin.username).toBe('postgres');
    expect(decodeURIComponent(admin.password)).toBe(environmentOf(services.postgres).POSTGRES_PASSWORD);
    // Every service uses the database migrate provisions.
    for (const name of ServiceNames) {
      expect(new URL(environmentOf(services[name]).DATABASE_URL!).pathname).toBe(admin.pathname);
    }
  });

  it.each(SECRETS)('refuses to start without %s (no default secret)', (secret) => {
    const env = { ...envExample };
    delete env[secret];
    expect(() => resolveCompose(env)).toThrow(new RegExp(`required variable ${secret}\\b`));
    expect(() => resolveCompose({ ...env, [secret]: '' })).toThrow(new RegExp(`required variable ${secret}\\b`));
  });

  it('.env.example documents exactly the variables docker-compose.yml reads, one comment line each', () => {
    const used = new Set<string>();
    resolveCompose(envExample, used);
    expect(Object.keys(envExample).sort()).toEqual([...used].sort());

    const lines = envExampleText.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) {
        expect({ variable: line.split('=')[0], comment: lines[i - 1]?.startsWith('# ') }).toEqual({
          variable: line.split('=')[0],
          comment: true,
        });
      }
    });
  });
});

describe('docker-compose.yml: the portal', () => {
  const services = resolveCompose(envExample).services;
  const upstreams: Record<ServiceName, keyof PortalConfig> = {
    membership: 'MEMBERSHIP_URL',
    directory: 'DIRECTORY_URL',
    notifications: 'NOTIFICATIONS_URL',
    reporting: 'REPORTING_URL',
  };

  it('publishes port 3000, is built from the repo Dockerfile, and starts once the four services have', () => {
    const portal = services.portal;
    expect(portsOf(portal)).toContainEqual(expect.objectContaining({ published: 3000, target: 3000 }));
    expect(buildArgs(portal).SERVICE).toBe('portal');
    expect(existsSync(join(REPO_ROOT, 'services', 'portal', 'src', 'main.ts'))).toBe(true);
    expect(Object.keys(dependsOn(portal)).sort()).toEqual([...ServiceNames].sort());
    expect(portal.healthcheck?.test).toBeDefined();
  });

  it('sets exactly the variables PortalConfig reads (no database, no Kafka)', () => {
    expect(Object.keys(environmentOf(services.portal)).sort()).toEqual(configVariables(PortalConfig));
  });

  it.each(ENVIRONMENTS)(
    "passes loadConfig and reaches each service's API on its port in the network (with %s)",
    (_label, env) => {
      const resolved = resolveCompose(env).services;
      const config = loadConfig(PortalConfig, environmentOf(resolved.portal));
      expect(config.PORT).toBe(3000);
      for (const name of ServiceNames) {
        const url = new URL(String(config[upstreams[name]]));
        expect(url.hostname).toBe(name);
        expect(Number(url.port)).toBe(PORTS[name]);
        expect(environmentOf(resolved[name]).PORT).toBe(url.port);
      }
    },
  );
});

describe('config variables (test helper)', () => {
  class WithNewVariable extends NotificationsConfig {
    @IsString()
    @IsNotEmpty()
    NEW_REQUIRED_VARIABLE!: string;
  }

  it('sees a variable newly added to a config class, so the compose check above would fail', () => {
    expect(configVariables(WithNewVariable)).toEqual(
      [...configVariables(NotificationsConfig), 'NEW_REQUIRED_VARIABLE'].sort(),
    );
    const environment = environmentOf(resolveCompose(envExample).services.notifications);
    expect(() => loadConfig(WithNewVariable, environment)).toThrow(/NEW_REQUIRED_VARIABLE/);
  });

  it('reads the shared variables through the subclasses', () => {
    expect(configVariables(ReportingConfig)).toEqual(configVariables(ServiceConfig));
  });
});

describe('compose interpolation (test helper)', () => {
  it('handles defaults, required values, $$ and nesting like compose', () => {
    expect(interpolate('${A:-x}', {})).toBe('x');
    expect(interpolate('${A:-x}', { A: '' })).toBe('x');
    expect(interpolate('${A-x}', { A: '' })).toBe('');
    expect(interpolate('${A:-${B:-y}}z', {})).toBe('yz');
    expect(interpolate('a$$b ${A}', { A: '1' })).toBe('a$b 1');
    expect(() => interpolate('${A:?need A}', {})).toThrow('required variable A is missing a value: need A');
    expect(interpolate('${A:?need A}', { A: 'v' })).toBe('v');
    expect(interpolate('${A:+set}', { A: 'v' })).toBe('set');
  });
});
