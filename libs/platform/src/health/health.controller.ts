import { Controller, Get, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { errorMessage, MessagingHealthIndicator, OutboxRelay } from '@valley/messaging';
import { RateLimits } from '../http/edge/rate-limits';
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
    private readonly rateLimits: RateLimits,
    @Optional() private readonly outbox?: OutboxRelay,
  ) {}

  /**
   * Readiness: 200 when Postgres and Kafka answer, every consumer is consuming (not joining its
   * group, not stalled on a failure of the infrastructure) and the service's own checks
   * (ReadinessChecks) pass; 503 naming what is down and why. Every check is guarded: one that
   * throws is reported down, never turned into a 500.
   */
  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: 'Ready.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; the body says which and why.' })
  ready() {
    return this.health.check([
      this.guarded('postgres', () => this.postgres.pingCheck('postgres', { timeout: 3_000 })),
      this.guarded('kafka', () => this.kafka.isHealthy('kafka')),
      this.guarded('consumers', async () => this.kafka.consumers('consumers')),
      ...(this.outbox ? [this.guarded('outbox', () => this.outboxCheck(this.outbox!))] : []),
      // Never down: without Redis each instance counts on its own. Says where the counters are.
      this.guarded('rateLimits', async () => this.indicators.check('rateLimits').up(this.rateLimits.store())),
      ...this.readiness.all().map((check, i) => this.guarded(`readiness${i}`, check)),
    ]);
  }

  /** The outbox relay's lag: rows waiting and the oldest one's age; down while publishing fails. */
  private async outboxCheck(relay: OutboxRelay) {
    const check = this.indicators.check('outbox');
    const lag = await relay.lag();
    return relay.failing ? check.down({ ...lag, error: relay.failing }) : check.up({ ...lag });
  }

  private guarded(key: string, check: HealthIndicatorFunction): HealthIndicatorFunction {
    return async () => {
      try {
        return await check();
      } catch (error) {
        return this.indicators.check(key).down({ message: errorMessage(error) });
      }
    };
  }

  /** Liveness: the process serves HTTP (from the moment it listens, whatever its consumers do). */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive.' })
  live() {
    return { status: 'ok' };
  }
}
