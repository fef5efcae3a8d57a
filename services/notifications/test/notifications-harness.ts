import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startTestApp } from '@valley/platform/testing';
import { KafkaTestClient, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { DataSource } from 'typeorm';
import { NotificationsAppModule } from '../src/app.module';
import { NotificationsConfig } from '../src/notifications.config';

/**
 * The notifications service's real app on the test Postgres and Kafka, sending to a real SMTP
 * server started here, with direct access to its database and its topics.
 */
export class NotificationsHarness {
  readonly prefix = uniqueTopicPrefix();
  readonly smtp = new SmtpSink();
  app!: INestApplication;
  db!: DataSource;
  kafka!: KafkaTestClient;

  /** Starts the SMTP server and the app; `env` adds to (or overrides) fast test mail settings. */
  async start(env: Record<string, string> = {}): Promise<this> {
    await this.smtp.start();
    this.app = await startTestApp({
      service: 'notifications',
      configClass: NotificationsConfig,
      module: (config) => NotificationsAppModule.forRoot(config),
      topicPrefix: this.prefix,
      env: { SMTP_URL: this.smtp.url, MAIL_RATE_PER_SECOND: '200', MAIL_RETRY_DELAY_MS: '100', ...env },
    });
    this.db = this.app.get<DataSource>(getDataSourceToken());
    this.kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), this.prefix);
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.kafka?.close();
    await this.smtp.stop();
  }
}
