export * from './smtp/smtp-sink';
export * from './kafka/kafka-test-client';
export * from './eventually';
export * from './topic-prefix';
export * from './factories/member-admitted.factory';
export * from './factories/application.factory';
export * from './factories/member-events.factory';
export * as lifecycleEvents from './factories/lifecycle-events';
export * as reportEvents from './factories/report-events';
