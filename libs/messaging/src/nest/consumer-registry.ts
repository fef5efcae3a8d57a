import { Injectable } from '@nestjs/common';
import { ConsumerStatus, ConsumerStatusView } from '../consumer/consumer-status';
import { ConsumerInstruments } from '../metrics/consumer-metrics';

/** A consumer group of this process: where it stands, what it reads, what it holds. */
export interface RegisteredConsumer {
  name: string;
  status: ConsumerStatus;
  topics: readonly string[];
  instruments?: ConsumerInstruments;
}

/** Every consumer of this process and where it stands, for readiness checks. */
@Injectable()
export class ConsumerRegistry {
  private readonly consumers = new Map<string, ConsumerStatus>();
  private readonly details = new Map<string, Omit<RegisteredConsumer, 'name' | 'status'>>();

  add(
    name: string,
    status: ConsumerStatus,
    details: Omit<RegisteredConsumer, 'name' | 'status'> = { topics: [] },
  ): void {
    this.consumers.set(name, status);
    this.details.set(name, details);
  }

  /** Every consumer with its topics and instruments (for the lag metrics). */
  list(): RegisteredConsumer[] {
    return [...this.consumers].map(([name, status]) => ({
      name,
      status,
      ...(this.details.get(name) ?? { topics: [] }),
    }));
  }

  remove(name: string): void {
    this.consumers.delete(name);
    this.details.delete(name);
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
