import { Injectable } from '@nestjs/common';
import { RunningConsumer } from '../transport/message-transport';

/** Every running consumer of this process, for readiness checks. */
@Injectable()
export class ConsumerRegistry {
  private readonly consumers = new Map<string, RunningConsumer>();

  add(name: string, consumer: RunningConsumer): void {
    this.consumers.set(name, consumer);
  }

  remove(name: string): void {
    this.consumers.delete(name);
  }

  unhealthy(): string[] {
    return [...this.consumers].filter(([, c]) => !c.isHealthy()).map(([name]) => name);
  }
}
