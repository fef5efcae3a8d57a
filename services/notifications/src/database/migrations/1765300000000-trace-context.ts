import { addOutboxTraceContextV2, dropOutboxTraceContextV2 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Traces: each outbox row keeps the trace context of the change that appended it, and each delivery
 * the context of the event's handling that planned it, so that its SMTP send (later, by the sender)
 * is a span of the same trace.
 */
export class TraceContext1765300000000 implements MigrationInterface {
  name = 'TraceContext1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addOutboxTraceContextV2(queryRunner, 'notifications');
    await queryRunner.query(`ALTER TABLE "notifications"."deliveries" ADD "traceparent" text, ADD "tracestate" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notifications"."deliveries" DROP COLUMN "traceparent", DROP COLUMN "tracestate"`,
    );
    await dropOutboxTraceContextV2(queryRunner, 'notifications');
  }
}
