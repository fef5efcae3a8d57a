import { Controller, DynamicModule, Module, Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { getDataSourceToken } from '@nestjs/typeorm';
import { TypedEvent } from '@valley/contracts';
import { DataSource } from 'typeorm';
import { ConsumeEvents, EventBatchSpec } from '../nest/consume-events.decorator';
import { personalDataMasterKey } from './personal-data-crypto';
import { PersonalDataKeyring } from './personal-data-keyring';

export interface PersonalDataKeysOptions {
  /** The service's consumer group of the keys topic (Subscriptions.directoryKeys, …). */
  subscription: EventBatchSpec;
  /** The module that provides `config` (the service's configuration class). */
  configToken: Type<{ PERSONAL_DATA_KEY?: string }>;
}

/** The keys topic's consumer, as a controller of its own consumer group. */
function keysConsumerFor(subscription: EventBatchSpec): Type<unknown> {
  @Controller()
  class PersonalDataKeysConsumer {
    constructor(private readonly keyring: PersonalDataKeyring) {}

    @ConsumeEvents(subscription)
    record(@Payload() events: TypedEvent[]): Promise<void> {
      return this.keyring.record(events);
    }
  }
  return PersonalDataKeysConsumer;
}

/**
 * A consuming service's personal-data keys: their consumer group on the keys topic, and the
 * PersonalDataKeyring its handlers open sealed events with. Its own consumer group, so that a
 * lifecycle batch waiting for a key never holds up the key it waits for.
 */
@Module({})
export class PersonalDataKeysModule {
  static forService(options: PersonalDataKeysOptions): DynamicModule {
    return {
      module: PersonalDataKeysModule,
      global: true,
      controllers: [keysConsumerFor(options.subscription)],
      providers: [
        {
          provide: PersonalDataKeyring,
          useFactory: (dataSource: DataSource, config: { PERSONAL_DATA_KEY?: string }) =>
            new PersonalDataKeyring(dataSource, personalDataMasterKey(config.PERSONAL_DATA_KEY)),
          inject: [getDataSourceToken(), options.configToken],
        },
      ],
      exports: [PersonalDataKeyring],
    };
  }
}
