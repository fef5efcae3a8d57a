import { addOutboxTraceContextV2, dropOutboxTraceContextV2 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Traces: each outbox row keeps the trace context of the change that appended it (`traceparent`, `tracestate`). */
export class OutboxTraceContext1765300000000 implements MigrationInterface {
  name = 'OutboxTraceContext1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addOutboxTraceContextV2(queryRunner, 'membership');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTraceContextV2(queryRunner, 'membership');
  }
}
