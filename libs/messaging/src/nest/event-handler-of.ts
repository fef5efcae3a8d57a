import { PATTERN_EXTRAS_METADATA } from '@nestjs/microservices/constants';
import { TypedEvent } from '@valley/contracts';
import { EventHandler } from '../consumer/event-handler';
import { EVENT_BATCH_EXTRAS, EventBatchSpec } from './consume-events.decorator';

/**
 * An @ConsumeEvents method of a controller instance as an EventHandler, outside Nest: for rebuilds
 * and benchmarks that replay the history through the very handler the live consumer uses, with
 * the consumer group, topics and types its decorator declares.
 */
export function eventHandlerOf<T extends object, K extends keyof T & string>(instance: T, method: K): EventHandler {
  const fn = instance[method] as unknown as (events: TypedEvent[]) => Promise<void>;
  const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, fn) as Record<string, unknown> | undefined;
  const spec = extras?.[EVENT_BATCH_EXTRAS] as EventBatchSpec | undefined;
  if (!spec) throw new Error(`${instance.constructor.name}.${method} is not an @ConsumeEvents handler`);
  return {
    consumerName: spec.consumer,
    topics: spec.topics,
    handles: spec.handles,
    handle: (events) => fn.call(instance, events),
  };
}
