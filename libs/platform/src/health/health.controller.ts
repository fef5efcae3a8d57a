import { Controller, Get, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { MessagingHealthIndicator, OutboxRelay } from '@valley/messaging';
import { ReadinessChecks } from './readiness-checks';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly kafka: MessagingHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
    @Optional() private readonly outbox?: OutboxRelay,
  ) {}

  /**
   * Readiness: 200 when Postgres and Kafka answer, every consumer runs and the service's own
   * checks (ReadinessChecks) pass; 503 naming what is down.
   */
  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: 'Ready.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the body says which.' })
  ready() {
    return this.health.check([
      () => this.postgres.pingCheck('postgres', { timeout: 3_000 }),
      () => this.kafka.isHealthy('kafka'),
      ...(this.outbox ? [() => this.outboxCheck(this.outbox!)] : []),
      ...this.readiness.all(),
    ]);
  }

  /** The outbox relay's lag: rows waiting and the oldest one's age; down while publishing fails. */
  private async outboxCheck(relay: OutboxRelay) {
    const check = this.indicators.check('outbox');
    const lag = await relay.lag();
    return relay.failing ? check.down({ ...lag, error: relay.failing }) : check.up({ ...lag });
  }

  /** Liveness: the process serves HTTP. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive.' })
  live() {
    return { status: 'ok' };
  }
}
