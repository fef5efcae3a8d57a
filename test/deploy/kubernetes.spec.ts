/**
 * Checks deploy/kubernetes/ without a cluster: every overlay renders (`kubectl kustomize`, offline),
 * every object of a Kubernetes kind passes its OpenAPI schema (kubernetes-models, in
 * validate-models.mjs), and what schemas cannot say holds:
 *
 * - selectors (Deployments, Services, PodDisruptionBudgets) match the labels of the pods they mean,
 *   and only those; autoscalers and the Ingress name what exists;
 * - every port a probe or a Service names is a port of its container;
 * - each application's Deployment sets exactly the variables its config class reads, every one
 *   the class has no default for, and the result passes the real loadConfig as production runs it
 *   (NODE_ENV=production, secrets replaced by samples);
 * - nothing holds a secret value: secrets come from Secrets by reference, there is no Secret object,
 *   and no ConfigMap or literal value looks like one;
 * - each service has a migration Job running the built migrate command with the admin credentials;
 * - the Strimzi resources (no offline schema for them: checked here by hand) declare every topic
 *   the services use with the partitions, replication and retention the services are configured
 *   with, on enough nodes, the lifecycle topic keeping its whole history.
 *
 * Needs kubectl (its built-in kustomize) on the PATH.
 */
import { deadLetterTopic, ServiceName, ServiceNames, TopicRetentionMs, Topics } from '@valley/contracts';
import { loadConfig } from '@valley/platform';
import { getMetadataStorage } from 'class-validator';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DirectoryConfig } from '../../services/directory/src/directory.config';
import { MembershipConfig } from '../../services/membership/src/membership.config';
import { NotificationsConfig } from '../../services/notifications/src/notifications.config';
import { PortalConfig } from '../../services/portal/src/portal.config';
import { ReportingConfig } from '../../services/reporting/src/reporting.config';

const REPO_ROOT = join(__dirname, '..', '..');
const KUBERNETES = join(REPO_ROOT, 'deploy', 'kubernetes');
const OVERLAYS = ['development', 'production'] as const;

type App = ServiceName | 'portal';
const APPS: readonly App[] = [...ServiceNames, 'portal'];
const CONFIG_CLASSES: Record<App, new () => object> = {
  membership: MembershipConfig,
  directory: DirectoryConfig,
  notifications: NotificationsConfig,
  reporting: ReportingConfig,
  portal: PortalConfig,
};
const PORTS: Record<App, number> = {
  membership: 3001,
  directory: 3002,
  notifications: 3003,
  reporting: 3004,
  portal: 3000,
};
/** Variables a Deployment sets that no config class reads: the image's application choice. */
const IMAGE_VARIABLES = ['SERVICE'];
/** Names whose values are secrets: only ever from a Secret. */
const SECRET_NAME = /SECRET|PASSWORD|PRIVATE_KEY|DATABASE_URL|SMTP_URL|REDIS_URL|CREDENTIAL|API_KEY|PERSONAL_DATA_KEY/;
/** A sample value per secret variable, accepted by the config classes in production. */
const SAMPLES: Record<string, string> = {
  MEMBER_TOKEN_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString(),
  DATABASE_URL: 'postgres://valley_service:sample@postgres.example:5432/valley',
  REDIS_URL: 'redis://redis.example:6379',
  SMTP_URL: 'smtp://smtp.example:587',
  PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
};
const sample = (name: string) => SAMPLES[name] ?? `sample-${name.toLowerCase()}-0123456789abcdef0123456789`;

// ---------------------------------------------------------------- the rendered objects

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects, checked by schema below */
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};

function render(overlay: string): K8sObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(KUBERNETES, 'overlays', overlay)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(yaml).map((doc) => doc.toJSON() as K8sObject);
}

const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, render(overlay)])) as Record<
  (typeof OVERLAYS)[number],
  K8sObject[]
>;

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The variables of the config class: every validated property and every declared field. */
function configVariables(configClass: new () => object): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(configClass, '', true, false)
    .map((metadata) => metadata.propertyName);
  return [...new Set([...validated, ...Object.keys(new configClass())])].sort();
}

/** Those it has no default for: a Deployment must set each. */
function requiredVariables(configClass: new () => object): string[] {
  const defaults = new configClass() as Record<string, unknown>;
  return configVariables(configClass).filter((name) => defaults[name] === undefined);
}

interface ResolvedEnv {
  values: Record<string, string>;
  fromSecrets: Record<string, { name: string; key: string }>;
}

/** A container's environment as the kubelet builds it: ConfigMaps from the render, Secrets as samples. */
function environmentOf(objects: K8sObject[], container: any): ResolvedEnv {
  const values: Record<string, string> = {};
  const fromSecrets: ResolvedEnv['fromSecrets'] = {};
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) throw new Error(`envFrom a Secret (${source.secretRef.name}) hides which variables it sets`);
    Object.assign(values, named(objects, 'ConfigMap', source.configMapRef.name).data ?? {});
  }
  for (const variable of container.env ?? []) {
    if ('value' in variable) values[variable.name] = String(variable.value);
    else if (variable.valueFrom?.configMapKeyRef) {
      const { name, key } = variable.valueFrom.configMapKeyRef;
      const data = named(objects, 'ConfigMap', name).data ?? {};
      if (!(key in data)) throw new Error(`ConfigMap ${name} has no key ${key}`);
      values[variable.name] = data[key];
    } else if (variable.valueFrom?.secretKeyRef) {
      fromSecrets[variable.name] = variable.valueFrom.secretKeyRef;
      values[variable.name] = sample(variable.name);
    } else throw new Error(`unsupported env source for ${variable.name}`);
  }
  return { values, fromSecrets };
}

/** Runs loadConfig as production does (NODE_ENV=production: the DEV ONLY defaults are refused). */
function loadAsProduction(configClass: new () => object, env: Record<string, string>): Record<string, unknown> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return loadConfig(configClass as never, env) as Record<string, unknown>;
  } finally {
    process.env.NODE_ENV = before;
  }
}

type Validation = { ok: true } | { error: string } | { skipped: string };

/** Each object against its Kubernetes schema, in a node process of its own (kubernetes-models is ESM only). */
function validate(list: K8sObject[]): Validation[] {
  return JSON.parse(
    execFileSync(process.execPath, [join(__dirname, 'validate-models.mjs')], {
      cwd: REPO_ROOT,
      input: JSON.stringify(list),
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    }),
  ) as Validation[];
}

/** Every string in an object, with its path. */
function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

// ---------------------------------------------------------------- tests

describe.each(OVERLAYS)('deploy/kubernetes/overlays/%s', (overlay) => {
  const objects = rendered[overlay];
  const deployments = byKind(objects, 'Deployment');
  const jobs = byKind(objects, 'Job');
  const config = named(
    objects,
    'ConfigMap',
    objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('valley-config'))!.metadata.name,
  ).data;

  it('renders the five applications, a migration Job per service, Kafka and the Ingress, in one namespace', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APPS].sort());
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(ServiceNames.map((s) => `${s}-migrate`).sort());
    expect(
      byKind(objects, 'Service')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual([...APPS].sort());
    expect(
      byKind(objects, 'PodDisruptionBudget')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([...APPS].sort());
    expect(
      byKind(objects, 'HorizontalPodAutoscaler')
        .map((h) => h.metadata.name)
        .sort(),
    ).toEqual(['directory', 'portal']);
    expect(byKind(objects, 'Ingress')).toHaveLength(1);
    expect(byKind(objects, 'Kafka')).toHaveLength(1);
    expect(byKind(objects, 'KafkaNodePool').length).toBeGreaterThan(0);
    const namespace = named(objects, 'Namespace', overlay === 'production' ? 'valley' : 'valley-dev').metadata.name;
    for (const object of objects.filter((o) => o.kind !== 'Namespace'))
      expect(object.metadata.namespace).toBe(namespace);
  });

  it('passes the Kubernetes schemas (kubernetes-models, offline); the Strimzi resources alone have none there', () => {
    const outcome = validate(objects).map((result, i) => ({
      object: `${objects[i].kind} ${objects[i].metadata.name}`,
      ...result,
    }));
    expect(outcome.filter((r) => 'error' in r)).toEqual([]);
    const custom = objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
    expect(outcome.filter((r) => 'skipped' in r)).toHaveLength(custom.length);
    expect(outcome.filter((r) => 'ok' in r)).toHaveLength(objects.length - custom.length);
  });

  it('(the schema check sees a broken object)', () => {
    const broken = structuredClone(named(objects, 'Deployment', 'directory'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(validate([broken])).toEqual([{ error: expect.stringContaining('containerPort must be integer') }]);
  });

  it('selects with each Deployment, Service and PodDisruptionBudget exactly the pods it means', () => {
    for (const deployment of deployments) {
      const labels = deployment.spec.template.metadata.labels;
      expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
      // No other workload's pods fall under its selector (a Job's, another Deployment's).
      const others = [...deployments.filter((d) => d !== deployment), ...jobs];
      expect(
        others.filter((o) => matches(deployment.spec.selector.matchLabels, o.spec.template.metadata.labels)),
      ).toEqual([]);
    }
    for (const service of byKind(objects, 'Service')) {
      const selected = [...deployments, ...jobs].filter((w) =>
        matches(service.spec.selector, w.spec.template.metadata.labels),
      );
      expect(selected.map((w) => `${w.kind} ${w.metadata.name}`)).toEqual([`Deployment ${service.metadata.name}`]);
      const container = selected[0].spec.template.spec.containers[0];
      for (const port of service.spec.ports) {
        const target = port.targetPort ?? port.port;
        expect(container.ports.some((p: any) => p.name === target || p.containerPort === target)).toBe(true);
      }
    }
    for (const budget of byKind(objects, 'PodDisruptionBudget')) {
      const selected = deployments.filter((d) =>
        matches(budget.spec.selector.matchLabels, d.spec.template.metadata.labels),
      );
      expect(selected.map((d) => d.metadata.name)).toEqual([budget.metadata.name]);
    }
    for (const job of jobs)
      expect(matches(job.spec.selector?.matchLabels ?? {}, job.spec.template.metadata.labels)).toBe(true);
  });

  it('scales the directory and the portal on CPU, between limits, and names what exists in the Ingress', () => {
    for (const hpa of byKind(objects, 'HorizontalPodAutoscaler')) {
      const target = named(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      expect(target.kind).toBe('Deployment');
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      // An autoscaled Deployment leaves its replicas to the autoscaler (an apply would reset them).
      expect(target.spec.replicas).toBeUndefined();
      // Utilisation is relative to the request: it must be set.
      expect(target.spec.template.spec.containers[0].resources.requests.cpu).toBeDefined();
    }
    const ingress = byKind(objects, 'Ingress')[0];
    const backends = ingress.spec.rules.flatMap((rule: any) =>
      rule.http.paths.map((path: any) => path.backend.service),
    );
    expect(backends.map((b: any) => b.name).sort()).toEqual(['directory', 'membership', 'notifications', 'portal']);
    for (const backend of backends) {
      const service = named(objects, 'Service', backend.name);
      expect(service.spec.ports.map((p: any) => p.name)).toContain(backend.port.name);
    }
    if (overlay === 'production') expect(ingress.spec.tls?.[0]?.secretName).toBeDefined();
  });

  describe.each(APPS.map((app) => [app] as const))('%s', (app) => {
    const deployment = deployments.find((d) => d.metadata.name === app)!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = environmentOf(objects, container);

    it('runs the built application of the image, as non-root on a read-only root file system, with resources', () => {
      expect(pod.containers).toHaveLength(1);
      expect(env.values.SERVICE).toBe(app); // the image's CMD: node dist/services/$SERVICE/main.js
      expect(container.command).toBeUndefined();
      expect(container.image).toMatch(overlay === 'production' ? /^[^:]+:(?!latest$)[\w.-]+$/ : /^valley:/);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toEqual(
        expect.objectContaining({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        }),
      );
      expect(container.resources.requests.cpu).toBeDefined();
      expect(container.resources.requests.memory).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
      // Node writes nothing but temporary files: /tmp is the only writable place.
      expect(container.volumeMounts).toEqual([expect.objectContaining({ mountPath: '/tmp' })]);
    });

    it('probes readiness on /health and liveness on /health/live, on ports the container has', () => {
      expect(container.readinessProbe.httpGet.path).toBe('/health');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe].filter(Boolean)) {
        const port = probe.httpGet.port;
        expect(container.ports.some((p: any) => p.name === port || p.containerPort === port)).toBe(true);
      }
      const http = container.ports.find((p: any) => p.name === container.readinessProbe.httpGet.port);
      expect(http.containerPort).toBe(PORTS[app]);
      expect(env.values.PORT).toBe(String(PORTS[app]));
    });

    it('sets exactly the variables its config class reads, every one it requires, and passes loadConfig in production', () => {
      const configClass = CONFIG_CLASSES[app];
      const set = Object.keys(env.values).filter((name) => !IMAGE_VARIABLES.includes(name));
      expect(set.sort()).toEqual(configVariables(configClass));
      for (const name of requiredVariables(configClass)) expect(env.values).toHaveProperty(name);
      const loaded = loadAsProduction(configClass, env.values);
      expect(loaded.PORT).toBe(PORTS[app]);
      if (app !== 'portal') {
        expect(loaded.KAFKA_BROKERS).toEqual(['valley-kafka-bootstrap:9092']);
        expect(String(loaded.METRICS_PORT)).toBe(
          container.ports.find((p: any) => p.name === 'metrics').containerPort.toString(),
        );
      } else {
        for (const name of ServiceNames) {
          const url = new URL(String(loaded[`${name.toUpperCase()}_URL`]));
          expect(url.hostname).toBe(name);
          expect(Number(url.port)).toBe(PORTS[name]);
        }
      }
    });

    it('takes every secret from a Secret of its own (or the shared one), never a literal', () => {
      for (const [name, ref] of Object.entries(env.fromSecrets)) {
        expect(ref.name).toMatch(new RegExp(`^valley-(${app}|shared)$`));
        expect(name).toBe(ref.key);
      }
      for (const name of Object.keys(env.values).filter((n) => SECRET_NAME.test(n)))
        expect({ name, fromSecret: name in env.fromSecrets }).toEqual({ name, fromSecret: true });
    });
  });

  it.each(ServiceNames.map((s) => [s] as const))(
    'runs %s migrations in a Job before the new version, as the admin',
    (service) => {
      const job = named(objects, 'Job', `${service}-migrate`);
      const spec = job.spec.template.spec;
      expect(spec.restartPolicy).toBe('Never');
      expect(spec.containers[0].command).toEqual(['node', 'dist/tools/ops/migrate.js', service]);
      expect(spec.containers[0].image).toBe(
        named(objects, 'Deployment', service).spec.template.spec.containers[0].image,
      );
      const env = environmentOf(objects, spec.containers[0]);
      expect(Object.keys(env.values).sort()).toEqual(['DATABASE_URL', 'SERVICE_DB_PASSWORD']);
      expect(Object.values(env.fromSecrets).map((r) => r.name)).toEqual(['valley-migrate', 'valley-migrate']);
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
      expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
      expect(job.metadata.labels?.['app.kubernetes.io/component']).toBe('migration');
    },
  );

  it('holds no secret value: no Secret object, no secret-named key in a ConfigMap, nothing that looks like one', () => {
    expect(byKind(objects, 'Secret')).toEqual([]);
    for (const map of byKind(objects, 'ConfigMap'))
      expect(Object.keys(map.data ?? {}).filter((key) => SECRET_NAME.test(key))).toEqual([]);
    const suspicious = strings(objects).filter(
      ([, value]) =>
        /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value) ||
        /:\/\/[^/\s:@]+:[^/\s@]+@/.test(value) ||
        /dev-only/i.test(value),
    );
    expect(suspicious).toEqual([]);
    for (const workload of [...deployments, ...jobs])
      for (const variable of workload.spec.template.spec.containers.flatMap((c: any) => c.env ?? []))
        if (SECRET_NAME.test(variable.name))
          expect({ [variable.name]: variable.value }).toEqual({ [variable.name]: undefined });
  });

  describe('Kafka (Strimzi custom resources, checked by hand: no offline schema)', () => {
    const kafka = byKind(objects, 'Kafka')[0];
    const pools = byKind(objects, 'KafkaNodePool');
    const topics = byKind(objects, 'KafkaTopic');
    const replication = Number(config.KAFKA_REPLICATION_FACTOR);
    const minInsync = Number(config.KAFKA_MIN_INSYNC_REPLICAS);

    it('is a KRaft cluster of node pools, reachable where the services look for it', () => {
      expect(kafka.apiVersion).toBe('kafka.strimzi.io/v1beta2');
      expect(kafka.metadata.annotations).toEqual(
        expect.objectContaining({ 'strimzi.io/node-pools': 'enabled', 'strimzi.io/kraft': 'enabled' }),
      );
      expect(kafka.spec.kafka.version).toMatch(/^4\.\d+\.\d+$/);
      expect(kafka.spec.entityOperator.topicOperator).toBeDefined();
      const [host, port] = config.KAFKA_BROKERS.split(':');
      expect(host).toBe(`${kafka.metadata.name}-kafka-bootstrap`);
      expect(kafka.spec.kafka.listeners).toContainEqual(
        expect.objectContaining({ port: Number(port), type: 'internal', tls: false }),
      );
      const nodes = { controller: 0, broker: 0 };
      for (const pool of pools) {
        expect(pool.apiVersion).toBe('kafka.strimzi.io/v1beta2');
        expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
        expect(Number.isInteger(pool.spec.replicas)).toBe(true);
        expect(pool.spec.storage.type).toMatch(/^(jbod|persistent-claim)$/);
        for (const role of pool.spec.roles as ('controller' | 'broker')[]) nodes[role] += pool.spec.replicas;
      }
      expect(nodes.broker).toBeGreaterThanOrEqual(replication);
      expect(nodes.controller % 2).toBe(1); // a quorum: an odd number of controllers
      expect(kafka.spec.kafka.config['auto.create.topics.enable']).toBe(false);
      expect(kafka.spec.kafka.config['default.replication.factor']).toBe(replication);
      expect(kafka.spec.kafka.config['min.insync.replicas']).toBe(minInsync);
      expect(kafka.spec.kafka.config['offsets.topic.replication.factor']).toBe(replication);
      if (overlay === 'production') {
        expect(replication).toBeGreaterThanOrEqual(3);
        expect(minInsync).toBe(replication - 1); // one broker may be lost without refusing writes
      }
    });

    it('declares every topic the services use, with their partitions, replication and retention', () => {
      const expected = [...Object.values(Topics), ...ServiceNames.map((s) => deadLetterTopic(s))];
      expect(topics.map((t) => t.spec.topicName).sort()).toEqual([...expected].sort());
      for (const topic of topics) {
        expect(topic.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
        expect(topic.spec.partitions).toBe(Number(config.KAFKA_PARTITIONS));
        expect(topic.spec.replicas).toBe(replication);
        expect(topic.spec.config['min.insync.replicas']).toBe(minInsync);
        const retention = (TopicRetentionMs as Record<string, number>)[topic.spec.topicName] ?? -1;
        expect({ topic: topic.spec.topicName, retention: topic.spec.config['retention.ms'] }).toEqual({
          topic: topic.spec.topicName,
          retention,
        });
      }
      // The lifecycle topic keeps its history: read models are rebuilt by replaying it.
      const lifecycle = topics.find((t) => t.spec.topicName === Topics.MembershipLifecycle)!;
      expect(lifecycle.spec.config).toEqual(
        expect.objectContaining({ 'retention.ms': -1, 'retention.bytes': -1, 'cleanup.policy': 'delete' }),
      );
    });
  });
});

describe('the image the manifests run', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

  it('runs the application SERVICE names from its build, as the node user, with a health check', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toContain('dist/services/${SERVICE');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it.each(APPS.map((app) => [app] as const))('builds %s with its nx target', (app) => {
    const project = JSON.parse(readFileSync(join(REPO_ROOT, 'services', app, 'project.json'), 'utf8'));
    expect(project.targets.build.command).toContain(`scripts/build/build-app.ts services/${app}`);
    expect(project.targets.build.outputs).toEqual([`{workspaceRoot}/dist/services/${app}`]);
  });
});
