import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceName } from '@valley/contracts';
import { DEFAULT_RETRY_POLICY, MessagingModule, OutboxModule } from '@valley/messaging';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { ServiceConfig } from './config/service-config';
import { ServiceDatabaseOptions, serviceDataSourceOptions } from './database/database-options';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness-checks';
import { createLogger } from './logging/logger';
import { MetricsController, ServiceMetrics } from './metrics/metrics';

export interface ServiceCoreOptions {
  service: ServiceName;
  config: ServiceConfig;
  database: Omit<ServiceDatabaseOptions, 'url' | 'schema'>;
  /** Defaults to a JSON logger at config.LOG_LEVEL. */
  logger?: Logger;
  extraProviders?: Provider[];
}

/**
 * What every Valley service is made of: JSON logs, its own schema through TypeORM,
 * Kafka messaging, coordinator auth, /health and /metrics. Feature modules come on top.
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
          serviceDataSourceOptions({ url: config.DATABASE_URL, schema: service, ...options.database }),
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
          }),
        }),
        AuthModule.forRoot({ jwtSecret: config.AUTH_JWT_SECRET }),
        TerminusModule,
        ...(options.database.outbox ? [OutboxModule.forRoot()] : []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ServiceConfig, useValue: config },
        ServiceMetrics,
        ReadinessChecks,
        ...(options.extraProviders ?? []),
      ],
      exports: [
        TerminusModule,
        ServiceConfig,
        ServiceMetrics,
        ReadinessChecks,
        ...(options.database.outbox ? [OutboxModule] : []),
        ...(options.extraProviders ?? []),
      ],
    };
  }
}
