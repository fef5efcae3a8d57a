import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceName } from '@valley/contracts';
import { configureApp, loadConfig, ServiceConfig, signToken } from '@valley/platform';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DirectoryAppModule } from '../../services/directory/src/app.module';
import { DirectoryConfig } from '../../services/directory/src/directory.config';
import { MembershipAppModule } from '../../services/membership/src/app.module';
import { MembershipConfig } from '../../services/membership/src/membership.config';
import { NotificationsAppModule } from '../../services/notifications/src/app.module';
import { NotificationsConfig } from '../../services/notifications/src/notifications.config';
import { ReportingAppModule } from '../../services/reporting/src/app.module';
import { ReportingConfig } from '../../services/reporting/src/reporting.config';
import { serviceDatabaseUrl } from '../../scripts/infra/postgres';

export const TEST_JWT_SECRET = 'test-only-jwt-secret-0123456789';

/** A topic/group prefix unique to one test file, so suites never see each other's events. */
export function uniqueTopicPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}.`;
}

export function testEnv(service: ServiceName, topicPrefix: string, extra: Record<string, string> = {}) {
  const databaseUrl = process.env.VALLEY_TEST_DATABASE_URL;
  const brokers = process.env.VALLEY_TEST_KAFKA_BROKERS;
  if (!databaseUrl || !brokers) throw new Error('test infrastructure missing: run through jest (global setup)');
  return {
    PORT: '0',
    DATABASE_URL: serviceDatabaseUrl(databaseUrl, service),
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_PARTITIONS: '3',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...extra,
  };
}

const modules: Record<ServiceName, { config: new () => ServiceConfig; module: (config: never) => DynamicModule }> = {
  membership: { config: MembershipConfig, module: (c) => MembershipAppModule.forRoot(c) },
  directory: { config: DirectoryConfig, module: (c) => DirectoryAppModule.forRoot(c) },
  notifications: { config: NotificationsConfig, module: (c) => NotificationsAppModule.forRoot(c) },
  reporting: { config: ReportingConfig, module: (c) => ReportingAppModule.forRoot(c) },
};

/** Starts one service exactly as main.ts does (same module, same app configuration), on a free port. */
export async function startService(
  service: ServiceName,
  topicPrefix: string,
  extraEnv: Record<string, string> = {},
): Promise<INestApplication> {
  const { config: configClass, module } = modules[service];
  const config = loadConfig(configClass, testEnv(service, topicPrefix, extraEnv));
  const app = await NestFactory.create(module(config as never), { logger: false, abortOnError: false });
  configureApp(app, { title: service, description: `${service} under test` });
  await app.listen(0, '127.0.0.1');
  return app;
}

export function coordinatorToken(subject = 'coordinator@test'): string {
  return signToken(TEST_JWT_SECRET, subject, ['coordinator']);
}

export function tokenWithRoles(roles: string[], subject = 'someone@test'): string {
  return signToken(TEST_JWT_SECRET, subject, roles);
}

export const silentLogger = pino({ level: 'silent' });
