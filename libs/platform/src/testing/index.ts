/**
 * Helpers for tests that run a service's real Nest application (import '@valley/platform/testing').
 * Kept out of the main entry point: production code never needs them.
 */
import { DynamicModule, INestApplication } from '@nestjs/common';
import { ServiceName } from '@valley/contracts';
import { signToken } from '../auth/auth.module';
import { MetricsServer } from '../metrics/metrics';
import { loadConfig } from '../config/load-config';
import { ServiceConfig } from '../config/service-config';
import { serviceDatabaseUrl } from '../database/service-roles';
import { configureApp } from '../http/configure-app';
import { startEventConsumers } from '../logging/event-consumers';
import { createNestApp, HttpPlatform } from '../http/http-platform';
import { DataSource } from 'typeorm';

export const TEST_JWT_SECRET = 'test-only-jwt-secret-0123456789';

/** The environment a service gets under test: the test database through its own role, the test Kafka. */
export function testServiceEnv(service: ServiceName, topicPrefix: string, extra: Record<string, string> = {}) {
  const databaseUrl = process.env.VALLEY_TEST_DATABASE_URL;
  const brokers = process.env.VALLEY_TEST_KAFKA_BROKERS;
  if (!databaseUrl || !brokers) throw new Error('test infrastructure missing: run through jest (its global setup)');
  return {
    PORT: '0',
    DATABASE_URL: serviceDatabaseUrl(databaseUrl, service),
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_PARTITIONS: '3',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    METRICS_PORT: '0',
    // Suites send bursts from one address; the rate-limit tests turn the limits on.
    RATE_LIMITS: 'off',
    ...extra,
  };
}

/** Starts a service's app exactly as its main.ts does (same module, same app setup), on a free port. */
export async function startTestApp<C extends ServiceConfig>(options: {
  service: ServiceName;
  configClass: new () => C;
  module: (config: C) => DynamicModule;
  topicPrefix: string;
  env?: Record<string, string>;
  /** As the service's main.ts passes to bootstrapService. */
  http?: HttpPlatform;
}): Promise<INestApplication> {
  const config = loadConfig(options.configClass, testServiceEnv(options.service, options.topicPrefix, options.env));
  const app = await createNestApp(options.module(config), options.http ?? 'express', {
    logger: false,
    abortOnError: false,
  });
  configureApp(app, { title: options.service, description: `${options.service} under test` });
  await app.init();
  await startEventConsumers(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

/** A service app's Prometheus metrics, read from its metrics port as Prometheus does. */
export async function scrapeMetrics(app: INestApplication): Promise<{ contentType: string; text: string }> {
  const response = await fetch(`http://127.0.0.1:${app.get(MetricsServer).port}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return { contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

export function coordinatorToken(subject = 'coordinator@test'): string {
  return signToken(TEST_JWT_SECRET, subject, ['coordinator']);
}

export function tokenWithRoles(roles: string[], subject = 'someone@test'): string {
  return signToken(TEST_JWT_SECRET, subject, roles);
}

/**
 * Empties every table of a service's schema but its migrations. The suites of one run share the
 * test database; a suite whose expectations are computed for its own data alone starts with this.
 */
export async function emptyServiceSchema(dataSource: DataSource, schema: ServiceName): Promise<void> {
  const tables: { tablename: string }[] = await dataSource.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations'`,
    [schema],
  );
  if (tables.length > 0) {
    await dataSource.query(`TRUNCATE ${tables.map((t) => `"${schema}"."${t.tablename}"`).join(', ')}`);
  }
}

export * from './test-issuer';
export * from './dev-identity-provider';
export * from './oidc-test-client';
