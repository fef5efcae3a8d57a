export * from './smtp/smtp-sink';
export * from './kafka/kafka-test-client';
export * from './eventually';
export * from './topic-prefix';
export * from './factories/member-admitted.factory';
export * from './factories/application.factory';
