import { ServiceConfig } from '@valley/platform';

export class ReportingConfig extends ServiceConfig {
  override PORT: number = 3004;
}
