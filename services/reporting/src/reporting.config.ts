import { ServiceConfig } from '@valley/platform';

export class ReportingConfig extends ServiceConfig {
  override PORT: number = 3004;
  override METRICS_PORT: number = 9104;
}
