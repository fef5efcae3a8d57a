import { Injectable } from '@nestjs/common';
import { ConsumerStatus, ConsumerStatusView } from '../consumer/consumer-status';

/** Every consumer of this process and where it stands, for readiness checks. */
@Injectable()
export class ConsumerRegistry {
  private readonly consumers = new Map<string, ConsumerStatus>();

  add(name: string, status: ConsumerStatus): void {
    this.consumers.set(name, status);
  }

  remove(name: string): void {
    this.consumers.delete(name);
  }

  /** Each consumer's state (joining, running, stalled), by name. */
  views(): Record<string, ConsumerStatusView> {
    return Object.fromEntries([...this.consumers].map(([name, status]) => [name, status.view()]));
  }

  /** Names of the consumers that are not consuming right now. */
  notReady(): string[] {
    return [...this.consumers].filter(([, status]) => !status.isReady).map(([name]) => name);
  }
}
