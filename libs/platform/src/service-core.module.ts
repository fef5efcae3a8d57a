import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceName } from '@valley/contracts';
import { DEFAULT_RETRY_POLICY, MessagingModule, OutboxModule } from '@valley/messaging';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';
import { AsyncApiController } from './asyncapi/asyncapi.controller';
import { AuthModule } from './auth/auth.module';
import { AuthOptions, authOptionsOf } from './auth/auth.options';
import { ServiceConfig } from './config/service-config';
import { ServiceDatabaseOptions, serviceDataSourceOptions } from './database/database-options';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness-checks';
import { RATE_LIMIT_RULES, RateLimitRule, RateLimits } from './http/edge/rate-limits';
import { createLogger } from './logging/logger';
import { MetricsServer, ServiceMetrics } from './metrics/metrics';
import { HttpRouteInterceptor } from './tracing/http-route.interceptor';
import { TracingLifecycle } from './tracing/tracing-lifecycle';

/** The service's root pino logger (the one every log line goes through). */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');

export interface ServiceCoreOptions {
  service: ServiceName;
  config: ServiceConfig;
  database: Omit<ServiceDatabaseOptions, 'url' | 'schema'>;
  /** Defaults to a JSON logger at config.LOG_LEVEL. */
  logger?: Logger;
  /** Per-client limits of the service's public routes (see RateLimits; RATE_LIMITS overrides them). */
  rateLimits?: RateLimitRule[];
  extraProviders?: Provider[];
  /** Verifier options a service gives in code: the membership service its own member key set. */
  auth?: Pick<AuthOptions, 'memberJwks'>;
}

/**
 * What every Valley service is made of: JSON logs, its own schema through TypeORM,
 * Kafka messaging, coordinator auth, rate limits, /health, and /metrics on its own port.
 * Feature modules come on top.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
    const { service, config } = options;
    const logger = options.logger ?? createLogger(service, config.LOG_LEVEL);
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          },
        }),
        TypeOrmModule.forRoot(
          serviceDataSourceOptions({
            url: config.DATABASE_URL,
            schema: service,
            ...options.database,
            onConnectionError: (error) =>
              logger.warn({ component: 'postgres', err: error }, 'a database connection failed; the pool replaces it'),
          }),
        ),
        MessagingModule.forRootAsync({
          inject: [],
          useFactory: () => ({
            service,
            brokers: config.KAFKA_BROKERS,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            logger,
            retry: DEFAULT_RETRY_POLICY,
            defaultPartitions: config.KAFKA_PARTITIONS,
            replicationFactor: config.KAFKA_REPLICATION_FACTOR,
            minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
            sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          }),
        }),
        AuthModule.forRoot(authOptionsOf(config, options.auth)),
        TerminusModule,
        ...(options.database.outbox ? [OutboxModule.forRoot({ retentionHours: config.OUTBOX_RETENTION_HOURS })] : []),
      ],
      controllers: [HealthController, AsyncApiController],
      providers: [
        { provide: ServiceConfig, useValue: config },
        { provide: SERVICE_LOGGER, useValue: logger },
        { provide: RATE_LIMIT_RULES, useValue: options.rateLimits ?? [] },
        {
          provide: RateLimits,
          useFactory: (rules: RateLimitRule[]) =>
            new RateLimits(config, rules, `valley:${config.KAFKA_TOPIC_PREFIX}${service}`),
          inject: [RATE_LIMIT_RULES],
        },
        ServiceMetrics,
        MetricsServer,
        ReadinessChecks,
        TracingLifecycle,
        { provide: APP_INTERCEPTOR, useClass: HttpRouteInterceptor },
        ...(options.extraProviders ?? []),
      ],
      exports: [
        TerminusModule,
        ServiceConfig,
        SERVICE_LOGGER,
        ServiceMetrics,
        MetricsServer,
        RateLimits,
        ReadinessChecks,
        ...(options.database.outbox ? [OutboxModule] : []),
        ...(options.extraProviders ?? []),
      ],
    };
  }
}
