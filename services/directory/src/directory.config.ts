import { ServiceConfig } from '@valley/platform';

export class DirectoryConfig extends ServiceConfig {
  override PORT: number = 3002;
}
