import { ServiceConfig } from '@valley/platform';

export class ReportingConfig extends ServiceConfig {
  override PORT = 3004;
}
