import { BaseRpcContext } from '@nestjs/microservices';
import { TypedEvent } from '@valley/contracts';

/** What an @ConsumeEvents handler's context (`@Ctx()`, interceptors, filters) knows of its batch. */
export class EventBatchContext extends BaseRpcContext<[consumer: string, events: TypedEvent[]]> {
  constructor(consumer: string, events: TypedEvent[]) {
    super([consumer, events]);
  }

  get consumer(): string {
    return this.args[0];
  }

  get events(): TypedEvent[] {
    return this.args[1];
  }
}
